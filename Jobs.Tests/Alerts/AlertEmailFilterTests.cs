using Jobs.Server.Alerts;
using Jobs.States;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Jobs.Tests.Alerts;

public sealed class AlertEmailFilterTests
{
    private AlertHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = CreateSut();

    [TearDown]
    public async Task TearDown() => await _harness.DisposeAsync();

    [Test]
    public async Task FinalFailure_SendsOneAlert_WithTheJobsFields()
    {
        var id = await _harness.FailAsync(j => j.Fail("boom"), new InvalidOperationException("The report could not be built"), retryCount: AutomaticRetryAttribute.DefaultAttempts);

        Assert.That(await _harness.RunAlertJobsAsync(), Is.EqualTo(1));

        Assert.That(_harness.Sent, Has.Count.EqualTo(1));
        var mail = _harness.Sent[0];
        Assert.Multiple(() =>
        {
            Assert.That(mail.Subject, Is.EqualTo($"[Jobs] Failed: AlertTestJob.Fail (job {id})"));
            Assert.That(mail.TextBody, Does.Contain("Task:      AlertTestJob.Fail"));
            Assert.That(mail.TextBody, Does.Contain("Jobs.Tests.Alerts.AlertTestJob.Fail(String)"));
            Assert.That(mail.TextBody, Does.Contain("Queue:     default"));
            Assert.That(mail.TextBody, Does.Contain("Arguments: [\"boom\"]"));
            Assert.That(mail.TextBody, Does.Contain("Attempts:  11"));
            Assert.That(mail.TextBody, Does.Contain("Exception: System.InvalidOperationException"));
            Assert.That(mail.TextBody, Does.Contain("Message:   The report could not be built"));
            Assert.That(mail.TextBody, Does.Contain("Server:    worker-host:1"));
            Assert.That(mail.TextBody, Does.Contain("Failed at: 2030-01-15 10:00:00 UTC"));
            Assert.That(mail.TextBody, Does.Contain($"{AlertHarness.DashboardBaseUrl}/job/{id}"));
            Assert.That(mail.TextBody, Does.Contain("Stack trace:"));
            Assert.That(mail.HtmlBody, Does.Contain($"<a href=\"{AlertHarness.DashboardBaseUrl}/job/{id}\">"));
        });
    }

    [Test]
    public async Task RetriedAttempt_SendsNoAlert_WhenAttemptsAreLeft()
    {
        var id = await _harness.FailAsync(j => j.Fail("boom"), new InvalidOperationException("first try"), retryCount: 0);

        var stored = await _harness.Storage.GetJobAsync(id, CancellationToken.None);
        Assert.That(stored!.StateName, Is.EqualTo(ScheduledState.StateName), "the global retry turns the failure into a retry");
        Assert.That(await _harness.AlertJobsAsync(), Is.Empty);
        Assert.That(await _harness.RunAlertJobsAsync(), Is.Zero);
        Assert.That(_harness.Sent, Is.Empty);
    }

    [Test]
    public async Task FurtherFailuresInTheWindow_GoIntoOneDigest_AtTheWindowsEnd()
    {
        var first = await _harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("first"), 10);
        await _harness.RunAlertJobsAsync();
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await _harness.FailAsync(j => j.Fail("b"), new InvalidOperationException("second"), 10);
        _harness.Time.Advance(TimeSpan.FromMinutes(5));
        var third = await _harness.FailAsync(j => j.Fail("c"), new TimeoutException("third"), 10);

        await _harness.RunAlertJobsAsync();
        Assert.That(_harness.Sent, Has.Count.EqualTo(1), "one e-mail per task per window");

        _harness.Time.Advance(TimeSpan.FromMinutes(9));
        await _harness.RunAlertJobsAsync();

        Assert.That(_harness.Sent, Has.Count.EqualTo(2));
        var digest = _harness.Sent[1];
        Assert.Multiple(() =>
        {
            Assert.That(digest.Subject, Is.EqualTo("[Jobs] 2 more failures of AlertTestJob.Fail"));
            Assert.That(digest.TextBody, Does.Contain($"job {second}").And.Contain("second"));
            Assert.That(digest.TextBody, Does.Contain($"job {third}").And.Contain("System.TimeoutException: third"));
            Assert.That(digest.TextBody, Does.Not.Contain($"job {first} "));
            Assert.That(digest.HtmlBody, Does.Contain($"{AlertHarness.DashboardBaseUrl}/job/{third}"));
        });
    }

    [Test]
    public async Task Digest_IsNotSent_WhenNoFurtherFailureCame()
    {
        await _harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("only"), 10);
        _harness.Time.Advance(TimeSpan.FromMinutes(15));

        await _harness.RunAlertJobsAsync();

        Assert.That(_harness.Sent, Has.Count.EqualTo(1));
        Assert.That(_harness.Sent[0].Subject, Does.StartWith("[Jobs] Failed: AlertTestJob.Fail"));
    }

    [Test]
    public async Task FailureAfterTheWindow_SendsANewAlert()
    {
        await _harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("one"), 10);
        _harness.Time.Advance(TimeSpan.FromMinutes(16));
        var later = await _harness.FailAsync(j => j.Fail("b"), new InvalidOperationException("two"), 10);

        await _harness.RunAlertJobsAsync();

        Assert.That(_harness.Sent.Select(m => m.Subject), Has.Member($"[Jobs] Failed: AlertTestJob.Fail (job {later})"));
        Assert.That(_harness.Sent.Count(m => m.Subject.StartsWith("[Jobs] Failed:", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task EachTask_HasItsOwnWindow()
    {
        await _harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("one"), 10);
        await _harness.FailAsync(j => j.Other(1), new InvalidOperationException("two"), 10);

        await _harness.RunAlertJobsAsync();

        Assert.That(_harness.Sent.Select(m => m.Subject), Has.Some.StartsWith("[Jobs] Failed: AlertTestJob.Fail ")
            .And.Some.StartsWith("[Jobs] Failed: AlertTestJob.Other "));
    }

    [Test]
    public async Task Success_AfterAnAlert_SendsOneRecoveredEmail()
    {
        await _harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("one"), 10);
        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        var recovered = await _harness.SucceedAsync(j => j.Fail("fixed"));
        await _harness.SucceedAsync(j => j.Fail("again"));

        await _harness.RunAlertJobsAsync();

        Assert.That(_harness.Sent.Select(m => m.Subject), Is.EqualTo(new[] { _harness.Sent[0].Subject, "[Jobs] Recovered: AlertTestJob.Fail" }));
        Assert.That(_harness.Sent[1].TextBody, Does.Contain($"{AlertHarness.DashboardBaseUrl}/job/{recovered}"));
    }

    [Test]
    public async Task Success_WithoutAnEarlierFailure_SendsNothing()
    {
        await _harness.SucceedAsync(j => j.Succeed("fine"));

        Assert.That(await _harness.RunAlertJobsAsync(), Is.Zero);
        Assert.That(_harness.Sent, Is.Empty);
    }

    [Test]
    public async Task Success_SendsNoRecoveredEmail_WhenSwitchedOff()
    {
        await using var harness = CreateSut(new() { ["Alerts:Email:SendRecovered"] = "false" });
        await harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("one"), 10);
        await harness.SucceedAsync(j => j.Fail("a"));

        await harness.RunAlertJobsAsync();

        Assert.That(harness.Sent.Select(m => m.Subject), Has.None.StartsWith("[Jobs] Recovered"));
    }

    [Test]
    public async Task FailedAlertJob_DoesNotAlertAboutItself()
    {
        await _harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("one"), 10);
        var alertJob = (await _harness.AlertJobsAsync()).Single(j => j.StateName == EnqueuedState.StateName);

        var changed = await _harness.ChangeAsync(alertJob.Id, new FailedState(new IOException("SMTP down")), _harness.Options.RetryAttempts);

        Assert.That(changed, Is.True);
        var stored = await _harness.Storage.GetJobAsync(alertJob.Id, CancellationToken.None);
        Assert.That(stored!.StateName, Is.EqualTo(FailedState.StateName));
        Assert.That((await _harness.AlertJobsAsync()).Count(j => j.StateName == EnqueuedState.StateName), Is.Zero);
    }

    [Test]
    public async Task FailedAlertJob_IsRetried_WithTheConfiguredDelays()
    {
        await using var harness = CreateSut(new() { ["Alerts:Email:RetryDelaysInSeconds:0"] = "7" });
        await harness.FailAsync(j => j.Fail("a"), new InvalidOperationException("one"), 10);
        var alertJob = (await harness.AlertJobsAsync()).Single(j => j.StateName == EnqueuedState.StateName);

        await harness.ChangeAsync(alertJob.Id, new FailedState(new IOException("SMTP down")), 0);

        var details = await harness.Storage.Monitoring.GetJobDetailsAsync(alertJob.Id, CancellationToken.None);
        Assert.That(details!.Summary.StateName, Is.EqualTo(ScheduledState.StateName));
        Assert.That(details.Summary.StateData["EnqueueAt"], Does.StartWith("2030-01-15T10:00:07"));
    }

    [Test]
    public async Task Filter_NeverThrows_WhenTheAlertCannotBeQueued()
    {
        var filter = _harness.Services.GetServices<Jobs.Filters.IApplyStateFilter>().OfType<AlertEmailFilter>().Single();
        var storage = new Mock<Jobs.Storage.IJobStorage>();
        storage.Setup(s => s.GetJobAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("storage down"));
        var stored = await _harness.Storage.GetJobAsync(await _harness.Client.EnqueueAsync<AlertTestJob>(j => j.Fail("x")), CancellationToken.None);
        var context = new Jobs.Filters.ApplyStateContext(storage.Object, null, stored!.Id, stored.Invocation, null, ProcessingState.StateName, new FailedState(new InvalidOperationException("x")), 10);

        Assert.That(async () => await filter.OnStateAppliedAsync(context), Throws.Nothing);
    }

    private static AlertHarness CreateSut(Dictionary<string, string?>? settings = null) => new(settings);
}
