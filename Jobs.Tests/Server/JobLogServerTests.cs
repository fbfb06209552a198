using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moq;

namespace Jobs.Tests.Server;

/// <summary>Job logs end to end in one process: a host with <c>AddJobs</c> and <c>AddJobsServer</c>, jobs writing lines, the storage reading them.</summary>
[TestFixture]
public sealed class JobLogServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private IHost? _host;

    private IServiceProvider Services => _host!.Services;

    private IBackgroundJobClient Client => Services.GetRequiredService<IBackgroundJobClient>();

    private IJobStorage Storage => Services.GetRequiredService<IJobStorage>();

    private ServerProbe Probe => Services.GetRequiredService<ServerProbe>();

    [TearDown]
    public async Task TearDown()
    {
        if (_host is not null)
        {
            _host.Services.GetRequiredService<ServerProbe>().Gate.TrySetResult();
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    [Test]
    public async Task JobLog_HoldsWhatTheJobLoggedThroughItsILogger_InOrderWithTimesAndLevels()
    {
        // The host's own logging is quiet (Warning): the job log keeps Information all the same.
        await StartAsync(logging: b => b.SetMinimumLevel(LogLevel.Warning));
        var before = DateTimeOffset.UtcNow;

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.LogThroughLogger("orders.csv"));
        await WaitForStateAsync(id, SucceededState.StateName);
        var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None);

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[]
        {
            "Importing orders.csv",
            "Row 7 skipped",
            "Writing orders.csv failed — System.InvalidOperationException: disk full",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Level), Is.EqualTo(new[] { LogLevel.Information, LogLevel.Warning, LogLevel.Error }));
            Assert.That(lines.Select(l => l.Time), Is.Ordered.Ascending);
            Assert.That(lines.Select(l => l.Time), Is.All.InRange(before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
        });
    }

    [Test]
    public async Task JobLog_KeepsDebugLines_WhenTheMinimumLevelIsLowered()
    {
        await StartAsync(server: o => o.JobLog.MinimumLevel = LogLevel.Debug);

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.LogThroughLogger("a"));
        await WaitForStateAsync(id, SucceededState.StateName);
        var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None);

        Assert.That(lines.Select(l => l.Message), Does.Contain("Debug details nobody keeps"));
    }

    [Test]
    public async Task JobLog_HoldsEveryLineWrittenThroughPerformContext_AsSoonAsTheJobHasSucceeded()
    {
        await StartAsync();

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteThroughContext(300, null!));
        await WaitForStateAsync(id, SucceededState.StateName);
        var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 1000, CancellationToken.None);

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(Enumerable.Range(1, 300).Select(i => $"line {i}").Append("done")));
        Assert.Multiple(() =>
        {
            Assert.That(lines[^1].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(Probe.Events, Is.EqualTo(new[] { id }), "PerformContext.JobId");
        });
    }

    [Test]
    public async Task JobLog_ShowsLinesWhileTheJobStillRuns()
    {
        await StartAsync();

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteAndWaitAsync(null!, CancellationToken.None));
        Assert.That(await Probe.Started.WaitAsync(Patience), Is.True);
        var whileRunning = await WaitForLinesAsync(id, 1);
        var state = (await Storage.GetJobAsync(id, CancellationToken.None))!.StateName;
        Probe.Gate.TrySetResult();
        await WaitForStateAsync(id, SucceededState.StateName);
        var finished = await Storage.Monitoring.GetJobLogAsync(id, whileRunning[^1].Sequence, 100, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(whileRunning.Select(l => l.Message), Is.EqualTo(new[] { "started" }));
            Assert.That(state, Is.EqualTo(ProcessingState.StateName));
            Assert.That(finished.Select(l => l.Message), Is.EqualTo(new[] { "finished" }));
        });
    }

    [Test]
    public async Task JobLog_KeepsTheLinesOfTwoConcurrentJobsApart()
    {
        await StartAsync(server: o => o.WorkerCount = 2);

        var first = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteTaggedAsync("first", 100, null!));
        var second = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteTaggedAsync("second", 100, null!));
        Assert.That(await Probe.Started.WaitAsync(Patience) && await Probe.Started.WaitAsync(Patience), Is.True, "both jobs should run at once");
        Probe.Gate.TrySetResult();
        await WaitForStateAsync(first, SucceededState.StateName);
        await WaitForStateAsync(second, SucceededState.StateName);

        foreach (var (id, tag) in new[] { (first, "first"), (second, "second") })
        {
            var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 1000, CancellationToken.None);
            var expected = Enumerable.Range(0, 100).SelectMany(i => new[] { $"{tag} {i}", $"{tag} logged {i}" });
            Assert.That(lines.Select(l => l.Message), Is.EqualTo(expected), $"the log of the {tag} job");
        }
    }

    [Test]
    public async Task JobLog_CapsLinesAndTheirLength_AsTheServerOptionsSay()
    {
        await StartAsync(server: o =>
        {
            o.JobLog.MaxLinesPerJob = 10;
            o.JobLog.MaxLineLength = 20;
        });

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteThroughContext(25, null!));
        await WaitForStateAsync(id, SucceededState.StateName);
        var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None);
        var longLine = await Client.EnqueueAsync<JobLogTestJob>(j => j.LogThroughLogger(new string('x', 100)));
        await WaitForStateAsync(longLine, SucceededState.StateName);
        var cut = (await Storage.Monitoring.GetJobLogAsync(longLine, 0, 100, CancellationToken.None))[0].Message;

        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Message), Is.EqualTo(Enumerable.Range(1, 10).Select(i => $"line {i}").Append(JobLogLine.DroppedMarker(16))));
            Assert.That(cut, Is.EqualTo("Importing xxxxxxxxx…"));
        });
    }

    [Test]
    public async Task Logging_OutsideJobs_WritesToNoJobLog()
    {
        await StartAsync();
        var logger = Services.GetRequiredService<ILogger<JobLogServerTests>>();
        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteAndWaitAsync(null!, CancellationToken.None));
        Assert.That(await Probe.Started.WaitAsync(Patience), Is.True);

        // While a job runs on a worker, code outside it logs.
        logger.LogWarning("Outside any job");
        await Task.Run(() => logger.LogError("Also outside"));
        Probe.Gate.TrySetResult();
        await WaitForStateAsync(id, SucceededState.StateName);
        var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None);

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[] { "started", "finished" }));
    }

    [Test]
    public async Task JobLog_IsEmpty_WhenTheJobWritesNothing()
    {
        await StartAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Run("quiet"));
        await WaitForStateAsync(id, SucceededState.StateName);

        Assert.That(await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public void Enqueue_Throws_WhenAPerformContextIsPassedInsteadOfNull()
    {
        var context = new Mock<PerformContext>().Object;
        var client = new BackgroundJobClient(new Jobs.Storage.InMemory.InMemoryJobStorage());

        var ex = Assert.ThrowsAsync<ArgumentException>(() => client.EnqueueAsync<JobLogTestJob>(j => j.WriteThroughContext(1, context)));

        Assert.That(ex!.Message, Does.Contain("pass null as a placeholder"));
    }

    private async Task StartAsync(Action<BackgroundJobServerOptions>? server = null, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton<ServerProbe>();
        builder.Services.AddJobs(o => o.UseInMemoryStorage());
        builder.Services.AddJobsServer(o =>
        {
            o.ServerName = "joblog";
            o.WorkerCount = 2;
            o.QueuePollInterval = TimeSpan.FromMilliseconds(100);
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            server?.Invoke(o);
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    private async Task WaitForStateAsync(string id, string state)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while ((await Storage.GetJobAsync(id, CancellationToken.None))?.StateName != state)
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Job {id} did not reach {state} within {Patience}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<JobLogLine>> WaitForLinesAsync(string id, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var lines = await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None);
            if (lines.Count >= count)
            {
                return lines;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Job {id} had {lines.Count} log lines after {Patience}, expected {count}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
