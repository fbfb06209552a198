using System.Diagnostics;
using System.Net;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Dashboard;

/// <summary>The main pages and actions against the PostgreSQL storage, in a fresh schema for the fixture.</summary>
[TestFixture]
[Category("PostgreSql")]
public sealed class DashboardPostgreSqlTests
{
    private DashboardTestHost _host = null!;
    private string _schema = null!;
    private string _failed = null!;
    private string _scheduled = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _ = TestDatabase.ConnectionString; // ignored (or failed under CI) without a database
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        _host = await DashboardTestHost.StartAsync(postgreSqlSchema: _schema);
        var enqueued = await _host.EnqueueAsync("queued <b>bold</b>");
        _scheduled = await _host.Jobs.ScheduleAsync<DashboardSampleJob>(j => j.Run("later"), TimeSpan.FromHours(1));
        await _host.Jobs.ContinueJobWithAsync<DashboardSampleJob>(enqueued, j => j.Run("after"));
        _failed = await _host.CreateFailedAsync("failed", "Disk full");
        var succeeded = await _host.EnqueueAsync("done");
        await _host.Storage.ChangeStatesAsync([new StateChange(succeeded, new SucceededState("42", TimeSpan.Zero, TimeSpan.FromMilliseconds(250)))], CancellationToken.None);
        await _host.Jobs.DeleteAsync(await _host.EnqueueAsync("deleted"));
        await _host.Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 5, ["default"], DateTimeOffset.UtcNow), CancellationToken.None);
        await _host.Recurring.AddOrUpdateAsync<DashboardSampleJob>("nightly", j => j.Run("nightly"), "0 3 * * *");
        await _host.Recurring.TriggerAsync("nightly");
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
        }
    }

    [TestCase("/jobs/", "Overview")]
    [TestCase("/jobs/enqueued", "queued")]
    [TestCase("/jobs/scheduled", "Scheduled jobs")]
    [TestCase("/jobs/awaiting", "Awaiting jobs")]
    [TestCase("/jobs/processing", "Processing jobs")]
    [TestCase("/jobs/succeeded", "took 250 ms")]
    [TestCase("/jobs/failed", "Disk full")]
    [TestCase("/jobs/deleted", "Deleted jobs")]
    [TestCase("/jobs/retries", "Retries")]
    [TestCase("/jobs/recurring", "every day at 03:00")]
    [TestCase("/jobs/recurring/nightly", "Recent runs")]
    [TestCase("/jobs/queues", "default")]
    [TestCase("/jobs/servers", "server-1")]
    [TestCase("/jobs/search?q=DashboardSampleJob", "jobs found")]
    [TestCase("/jobs/api/stats", "\"failed\":")]
    [TestCase("/jobs/api/jobs?state=Failed", "Disk full")]
    public async Task Get_RendersThePage_WhenThePostgreSqlStorageHoldsJobs(string path, string expected)
    {
        var response = await _host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Does.Contain(expected));
        Assert.That(text, Does.Not.Contain("<b>bold</b>"));
    }

    [Test]
    public async Task JobDetail_ShowsTheFailure_WhenTheJobFailed()
    {
        var html = await _host.Client.GetStringAsync($"/jobs/job/{_failed}");

        Assert.That(html, Does.Contain("Disk full"));
        Assert.That(html, Does.Contain("History"));
    }

    [TestCase("/jobs/job/abc", HttpStatusCode.NotFound)]
    [TestCase("/jobs/job/99999999999999999999", HttpStatusCode.NotFound)]
    [TestCase("/jobs/job/1%3B%20drop", HttpStatusCode.BadRequest)]
    [TestCase("/jobs/failed?page=zero", HttpStatusCode.BadRequest)]
    public async Task Get_ReturnsAClearMessage_WhenTheAddressIsMalformed(string path, HttpStatusCode expected)
    {
        var response = await _host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task Requeue_RetriesTheFailedJobAndReportsTheSecondClick_WhenClickedTwice()
    {
        var id = await _host.CreateFailedAsync("retry-me");

        var first = await _host.FlashAfterAsync(await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id), ("expected", "Failed")));
        var second = await _host.FlashAfterAsync(await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id), ("expected", "Failed")));

        Assert.That(first, Is.EqualTo($"Job {id} requeued."));
        Assert.That(second, Is.EqualTo($"Job {id} was not requeued: it is now Enqueued."));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task BulkDelete_DeletesTheSelectedJobs_WhenPosted()
    {
        var first = await _host.CreateFailedAsync("a");
        var second = await _host.CreateFailedAsync("b");

        var response = await _host.PostFormAsync("/jobs/actions/jobs/delete", ("ids", first), ("ids", second), ("expected", "Failed"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("2 of 2 jobs deleted."));
        Assert.That(await _host.StateOfAsync(first), Is.EqualTo(DeletedState.StateName));
    }

    [Test]
    public async Task EnqueueNow_EnqueuesTheScheduledJob_WhenPosted()
    {
        var response = await _host.PostFormAsync("/jobs/actions/jobs/enqueue", ("id", _scheduled), ("expected", "Scheduled"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo($"Job {_scheduled} enqueued."));
        Assert.That(await _host.StateOfAsync(_scheduled), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task RecurringActions_PauseRescheduleAndRefuseABadCron_WhenPosted()
    {
        await _host.Recurring.AddOrUpdateAsync<DashboardSampleJob>("weekly", j => j.Run("weekly"), "0 6 * * 1");

        var pause = await _host.FlashAfterAsync(await _host.PostFormAsync("/jobs/actions/recurring/pause", ("id", "weekly")));
        var edit = await _host.FlashAfterAsync(await _host.PostFormAsync("/jobs/actions/recurring/reschedule", ("id", "weekly"), ("cron", "15 7 * * *"), ("timeZone", "Europe/Berlin")));
        var bad = await _host.FlashAfterAsync(await _host.PostFormAsync("/jobs/actions/recurring/reschedule", ("id", "weekly"), ("cron", "99 * * * *"), ("timeZone", "UTC")));

        Assert.That(pause, Is.EqualTo("Recurring job 'weekly' paused."));
        Assert.That(edit, Does.StartWith("Recurring job 'weekly' now runs every day at 07:15"));
        Assert.That(bad, Does.Contain("was not changed"));
        var record = await _host.Storage.GetRecurringJobAsync("weekly", CancellationToken.None);
        Assert.That(record!.Paused, Is.True);
        Assert.That(record.Cron, Is.EqualTo("15 7 * * *"));
        Assert.That(record.TimeZoneId, Is.EqualTo("Europe/Berlin"));
    }

    [Test]
    public async Task Trigger_EnqueuesARunOfTheRecurringJob_WhenPosted()
    {
        var response = await _host.PostFormAsync("/jobs/actions/recurring/trigger", ("id", "nightly"));

        Assert.That(await _host.FlashAfterAsync(response), Does.StartWith("Recurring job 'nightly' triggered"));
    }

    [Test]
    public async Task Antiforgery_RefusesTheAction_WhenTheTokenIsMissing()
    {
        var id = await _host.CreateFailedAsync("keep");

        var response = await _host.Client.PostAsync("/jobs/actions/jobs/delete", new FormUrlEncodedContent([new("id", id)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }
}
