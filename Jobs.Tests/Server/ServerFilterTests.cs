using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Tests.Server;

public sealed class ServerFilterTests : ServerTestBase
{
    [Test]
    public async Task JobTimeout_FailsAttemptWithTimeoutReason_WhenJobHonorsItsToken()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.TooSlowAsync(CancellationToken.None));

        var details = await WaitForStateAsync(id, FailedState.StateName);
        Assert.Multiple(() =>
        {
            Assert.That(details.Summary.StateData["ExceptionType"], Is.EqualTo(typeof(JobTimeoutException).FullName));
            Assert.That(details.Summary.StateData["ExceptionMessage"], Is.EqualTo("Job exceeded its timeout of 00:00:01"));
        });
    }

    [Test]
    public async Task JobTimeout_FailsAttempt_WhenJobIgnoresItsTokenAndReturnsLate()
    {
        await StartServerAsync();
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.TooSlowIgnoringTokenAsync(CancellationToken.None));
        await WaitForStateAsync(id, ProcessingState.StateName);

        // The gate opens after the timeout fired: the job "ends normally", but too late.
        await WaitAsync(Probe.Canceled.Task);
        Probe.Gate.SetResult();

        var details = await WaitForStateAsync(id, FailedState.StateName);
        Assert.That(details.Summary.StateData["ExceptionMessage"], Is.EqualTo("Job exceeded its timeout of 00:00:01"));
    }

    [Test]
    public async Task JobTimeout_FailsAttempt_WhenPlacedOnTheClass()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<SlowClassJob>(j => j.WaitAsync(CancellationToken.None));

        var details = await WaitForStateAsync(id, FailedState.StateName);
        Assert.That(details.Summary.StateData["ExceptionMessage"], Is.EqualTo("Job exceeded its timeout of 00:00:01"));
    }

    [Test]
    public async Task DisableConcurrentExecution_RunsJobsOneAtATime_WhenPlacedOnTheClass()
    {
        await StartServerAsync(o => o.WorkerCount = 3);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Client.EnqueueAsync<ExclusiveClassJob>(j => j.RunAsync()));
        }

        foreach (var id in ids)
        {
            await WaitForStateAsync(id, SucceededState.StateName);
        }

        Assert.That(Probe.MaxConcurrent, Is.EqualTo(1));
    }

    [Test]
    public async Task JobTimeout_LetsJobSucceed_WhenItEndsInTime()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.QuickWithTimeout());

        await WaitForStateAsync(id, SucceededState.StateName);
    }

    [Test]
    public void JobTimeout_ParsesTimeSpan_WhenGivenAsText()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new JobTimeoutAttribute("00:10:00").Timeout, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(new JobTimeoutAttribute(90).Timeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.Throws<ArgumentException>(() => _ = new JobTimeoutAttribute("ten minutes"));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new JobTimeoutAttribute(0));
        });
    }

    [Test]
    public async Task DisableConcurrentExecution_RunsJobsOneAtATime_WhenWorkersAreFree()
    {
        await StartServerAsync(o => o.WorkerCount = 3);

        var ids = new[]
        {
            await Client.EnqueueAsync<ProbeJob>(j => j.ExclusiveAsync()),
            await Client.EnqueueAsync<ProbeJob>(j => j.ExclusiveAsync()),
            await Client.EnqueueAsync<ProbeJob>(j => j.ExclusiveAsync()),
        };

        foreach (var id in ids)
        {
            await WaitForStateAsync(id, SucceededState.StateName);
        }

        Assert.That(Probe.MaxConcurrent, Is.EqualTo(1));
    }

    [Test]
    public async Task DisableConcurrentExecution_FailsAttempt_WhenLockIsNotFreeInTime()
    {
        var filter = new DisableConcurrentExecutionAttribute(0);
        var job = new Job(typeof(ProbeJob), typeof(ProbeJob).GetMethod(nameof(ProbeJob.Noop))!, []);
        await using var held = await Storage.AcquireLockAsync(DisableConcurrentExecutionAttribute.GetResource(job), TimeSpan.Zero, CancellationToken.None);
        await StartServerAsync(filters: new JobFilterProvider([filter]));

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Noop());

        var details = await WaitForStateAsync(id, FailedState.StateName);
        Assert.That(details.Summary.StateData["ExceptionType"], Is.EqualTo(typeof(DistributedLockTimeoutException).FullName));
    }
}
