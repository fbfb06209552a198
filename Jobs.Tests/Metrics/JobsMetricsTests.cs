using Jobs.Metrics;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.Tests.Metrics;

/// <summary>The instruments of the Jobs meter fire as a hosted server enqueues, performs and finishes jobs (in-memory storage).</summary>
public sealed class JobsMetricsTests
{
    private IHost _host = null!;
    private RecordedMeasurements _recorded = null!;

    private IBackgroundJobClient Client => _host.Services.GetRequiredService<IBackgroundJobClient>();

    private IJobStorage Storage => _host.Services.GetRequiredService<IJobStorage>();

    [SetUp]
    public async Task StartHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobs(o => o.UseInMemoryStorage());
        builder.Services.AddJobsServer(o =>
        {
            o.ServerName = "metrics";
            o.WorkerCount = 2;
            o.Queues = ["critical", "default"];
            o.QueuePollInterval = TimeSpan.FromMilliseconds(100);
            o.SchedulePollingInterval = TimeSpan.FromMilliseconds(100);
        });
        _host = builder.Build();
        _recorded = new RecordedMeasurements(_host.Services.GetRequiredService<JobsMetrics>().Meter);
        await _host.StartAsync();
    }

    [TearDown]
    public async Task StopHost()
    {
        await _host.StopAsync();
        _host.Dispose();
        _recorded.Dispose();
    }

    [Test]
    public async Task Counters_CountSuccessesAttemptFailuresRetriesAndFinalFailures_AsJobsFinish()
    {
        var succeeded = await Client.EnqueueAsync(() => MetricsTestJobs.Succeed());
        var failed = await Client.EnqueueAsync(() => MetricsTestJobs.FailWithOneRetry());

        await WaitForStateAsync(succeeded, SucceededState.StateName);
        await WaitForStateAsync(failed, FailedState.StateName);
        // Apply-state filters run right after the change is stored: wait for the last count too.
        await MetricsPoll.UntilAsync(() => Task.FromResult(_recorded.Sum(JobsMetrics.ProcessedName)), n => n >= 3, "3 processed");

        Assert.Multiple(() =>
        {
            Assert.That(_recorded.Sum(JobsMetrics.EnqueuedName, ("queue", "default")), Is.EqualTo(2));
            Assert.That(_recorded.Sum(JobsMetrics.ProcessedName), Is.EqualTo(3));
            Assert.That(_recorded.Sum(JobsMetrics.SucceededName), Is.EqualTo(1));
            Assert.That(_recorded.Sum(JobsMetrics.FailedName, ("final", "false")), Is.EqualTo(1), "the first attempt, retried");
            Assert.That(_recorded.Sum(JobsMetrics.FailedName, ("final", "true")), Is.EqualTo(1), "the second attempt, final");
            Assert.That(_recorded.Sum(JobsMetrics.RetriedName), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Duration_IsRecordedPerPerformance_WithQueueAndOutcome()
    {
        var succeeded = await Client.EnqueueAsync("critical", () => MetricsTestJobs.Succeed());
        var failed = await Client.EnqueueAsync(() => MetricsTestJobs.FailForGood());
        await WaitForStateAsync(succeeded, SucceededState.StateName);
        await WaitForStateAsync(failed, FailedState.StateName);

        var durations = await MetricsPoll.UntilAsync(
            () => Task.FromResult(_recorded.Of(JobsMetrics.DurationName)), d => d.Count >= 2, "2 durations");

        Assert.That(
            durations.Select(d => $"{d.Tags["queue"]}/{d.Tags["outcome"]}"),
            Is.EquivalentTo(new[] { "critical/succeeded", "default/failed" }));
        Assert.That(durations.Select(d => d.Value), Is.All.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Enqueued_CountsARecurringRunUnderTheRecurringJobsQueue()
    {
        var manager = _host.Services.GetRequiredService<IRecurringJobManager>();
        await manager.AddOrUpdateAsync("metrics-recurring", () => MetricsTestJobs.Succeed(), "0 0 1 1 *", new RecurringJobOptions { Queue = "reports" });

        var id = await manager.TriggerAsync("metrics-recurring");

        Assert.That(id, Is.Not.Null);
        Assert.That(_recorded.Sum(JobsMetrics.EnqueuedName, ("queue", "reports")), Is.EqualTo(1));
        var stored = await Storage.GetJobAsync(id!, CancellationToken.None);
        Assert.That(stored!.Queue, Is.EqualTo("reports"));
    }

    [Test]
    public async Task Gauges_ReportJobsPerStateQueueLengthsAndServers_FromTheStorage()
    {
        await Client.EnqueueAsync(() => MetricsTestJobs.Succeed());
        var metrics = _host.Services.GetRequiredService<JobsMetrics>();

        // Wait until a fresh snapshot shows the job succeeded and one server.
        await MetricsPoll.UntilAsync(
            async () =>
            {
                await metrics.RefreshStatisticsAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
                var before = _recorded.Of(JobsMetrics.InStateName).Count;
                _recorded.Observe();
                return _recorded.Of(JobsMetrics.InStateName).Skip(before).ToArray();
            },
            observed => observed.Any(m => m.Tags["state"] == "succeeded" && m.Value == 1),
            "a succeeded job in the gauge");

        _recorded.Observe();
        Assert.Multiple(() =>
        {
            Assert.That(_recorded.Of(JobsMetrics.InStateName).Select(m => m.Tags["state"]).Distinct(),
                Is.EquivalentTo(new[] { "enqueued", "scheduled", "awaiting", "processing", "succeeded", "failed", "deleted" }));
            Assert.That(_recorded.Of(JobsMetrics.QueueLengthName).Last(m => m.Tags["queue"] == "default").Value, Is.Zero);
            Assert.That(_recorded.Of(JobsMetrics.ServersName).Last().Value, Is.EqualTo(1));
        });
    }

    private async Task WaitForStateAsync(string jobId, string state) =>
        await MetricsPoll.UntilAsync(
            async () => (await Storage.GetJobAsync(jobId, CancellationToken.None))?.StateName,
            s => s == state,
            $"job {jobId} to be {state}");
}
