namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class DashboardRecurringActionsTests
{
    private DashboardTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await DashboardTestHost.StartAsync();
        await _host.Recurring.AddOrUpdateAsync<DashboardSampleJob>("nightly", j => j.Run("nightly"), "0 3 * * *");
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Trigger_EnqueuesARun_WhenPosted()
    {
        var response = await _host.PostFormAsync("/jobs/actions/recurring/trigger", ("id", "nightly"), ("returnUrl", "/jobs/recurring/nightly"));

        Assert.That(await _host.FlashAfterAsync(response), Does.Match("^Recurring job 'nightly' triggered: job .+ enqueued\\.$"));
        var runs = await _host.Storage.Monitoring.GetRecurringJobRunsAsync("nightly", 10, CancellationToken.None);
        Assert.That(runs, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task PauseAndResume_FlipThePausedFlag_WhenPosted()
    {
        var paused = await _host.PostFormAsync("/jobs/actions/recurring/pause", ("id", "nightly"));
        Assert.That(await _host.FlashAfterAsync(paused), Is.EqualTo("Recurring job 'nightly' paused."));
        Assert.That((await Record()).Paused, Is.True);

        var again = await _host.PostFormAsync("/jobs/actions/recurring/pause", ("id", "nightly"));
        Assert.That(await _host.FlashAfterAsync(again), Is.EqualTo("Recurring job 'nightly' was not paused: it is already paused."));

        var resumed = await _host.PostFormAsync("/jobs/actions/recurring/resume", ("id", "nightly"));
        Assert.That(await _host.FlashAfterAsync(resumed), Is.EqualTo("Recurring job 'nightly' resumed."));
        Assert.That((await Record()).Paused, Is.False);
    }

    [Test]
    public async Task Reschedule_ChangesCronAndTimeZone_WhenBothAreValid()
    {
        var response = await _host.PostFormAsync("/jobs/actions/recurring/reschedule", ("id", "nightly"), ("cron", "30 4 * * 1"), ("timeZone", "Europe/Berlin"), ("returnUrl", "/jobs/recurring/nightly"));

        Assert.That(await _host.FlashAfterAsync(response), Does.StartWith("Recurring job 'nightly' now runs every Monday at 04:30"));
        var record = await Record();
        Assert.That(record.Cron, Is.EqualTo("30 4 * * 1"));
        Assert.That(record.TimeZoneId, Is.EqualTo("Europe/Berlin"));
    }

    [TestCase("not a cron", "UTC", "is not a valid cron expression")]
    [TestCase("61 * * * *", "UTC", "is not a valid cron expression")]
    [TestCase("0 3 * * *", "Mars/Olympus", "Mars/Olympus")]
    public async Task Reschedule_ShowsTheErrorAndChangesNothing_WhenTheEditIsInvalid(string cron, string timeZone, string expected)
    {
        var response = await _host.PostFormAsync("/jobs/actions/recurring/reschedule", ("id", "nightly"), ("cron", cron), ("timeZone", timeZone), ("returnUrl", "/jobs/recurring/nightly"));

        var flash = await _host.FlashAfterAsync(response);
        Assert.That(flash, Does.Contain(expected));
        Assert.That(flash, Does.Contain("was not changed"));
        var record = await Record();
        Assert.That(record.Cron, Is.EqualTo("0 3 * * *"));
        Assert.That(record.TimeZoneId, Is.EqualTo("UTC"));
    }

    [Test]
    public async Task Remove_RemovesTheRecurringJob_WhenPosted()
    {
        var response = await _host.PostFormAsync("/jobs/actions/recurring/remove", ("id", "nightly"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("Recurring job 'nightly' removed."));
        Assert.That(await _host.Storage.GetRecurringJobAsync("nightly", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Trigger_ReportsThatItDoesNotExist_WhenTheIdIsUnknown()
    {
        var response = await _host.PostFormAsync("/jobs/actions/recurring/trigger", ("id", "ghost"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("Recurring job 'ghost' was not triggered: it does not exist."));
    }

    [Test]
    public async Task RecurringDetail_ShowsRunsWithSuccessRate_WhenRunsFinished()
    {
        var run = await _host.Recurring.TriggerAsync("nightly");
        await _host.Jobs.ChangeStateAsync(run!, new States.SucceededState(null, TimeSpan.Zero, TimeSpan.FromSeconds(2)));

        var html = await _host.Client.GetStringAsync("/jobs/recurring/nightly");

        Assert.That(html, Does.Contain("every day at 03:00"));
        Assert.That(html, Does.Contain("Success rate</dt><dd>100% (1 of 1 finished)"));
        Assert.That(html, Does.Contain("Max duration</dt><dd>2 s"));
        Assert.That(html, Does.Contain("Save schedule"));
    }

    private async Task<Jobs.Storage.RecurringJobRecord> Record() =>
        (await _host.Storage.GetRecurringJobAsync("nightly", CancellationToken.None))!;
}
