using System.Collections.Concurrent;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Storage;

/// <summary>The contract suite on the in-memory storage, plus what only this storage promises.</summary>
public sealed class InMemoryJobStorageTests : JobStorageContractTests
{
    protected override async Task<IJobStorage> CreateStorageAsync(TimeProvider time)
    {
        var storage = new InMemoryJobStorage(timeProvider: time);
        await storage.InitializeAsync(default);
        return storage;
    }

    [Test]
    public async Task WaitForJobsAsync_ReturnsAtOnce_WhenQueueAlreadyHoldsAJob()
    {
        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState()), default);

        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.FromHours(1), default);

        Assert.That(wait.IsCompleted, Is.True);
        await wait;
    }

    [Test]
    public async Task WaitForJobsAsync_WaitsWithoutLimit_WhenTimeoutIsTooLongForATimer()
    {
        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.MaxValue, default);

        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState()), default);

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task AcquireLockAsync_WaitsWithoutLimit_WhenTimeoutIsTooLongForATimer()
    {
        var first = await Storage.AcquireLockAsync("resource", TimeSpan.MaxValue, default);
        var second = Storage.AcquireLockAsync("resource", TimeSpan.MaxValue, default);

        await first.DisposeAsync();

        await using var granted = await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(granted, Is.Not.Null);
    }

    [Test]
    public void CreateJobAsync_ReturnsFaultedTask_WhenParentIsMissing()
    {
        var task = Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new AwaitingState("424242")), default);

        Assert.That(task.IsFaulted, Is.True);
        Assert.That(task.Exception!.InnerException, Is.TypeOf<ArgumentException>());
    }

    [Test]
    public async Task ChangeStatesAsync_ExpiresFinalStateAfterConfiguredRetention_WhenRetentionIsSet()
    {
        var time = new ManualTimeProvider();
        await using var storage = new InMemoryJobStorage(new InMemoryStorageOptions { JobRetention = TimeSpan.FromMinutes(30) }, time);
        var id = await storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState()), default);
        await storage.ChangeStatesAsync([new StateChange(id, new DeletedState())], default);

        var beforeRetention = await storage.DeleteExpiredJobsAsync(time.GetUtcNow().AddMinutes(29), 10, default);
        var afterRetention = await storage.DeleteExpiredJobsAsync(time.GetUtcNow().AddMinutes(30), 10, default);

        Assert.That(beforeRetention, Is.Zero);
        Assert.That(afterRetention, Is.EqualTo(1));
    }

    [Test]
    public async Task HistoryAndTimes_FollowInjectedClock_WhenTimeIsMoved()
    {
        var created = Time.GetUtcNow();
        var id = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState()), default);
        Time.Advance(TimeSpan.FromMinutes(7));
        var fetched = await Storage.FetchNextAsync(new FetchRequest(["default"], 1, "server-1"), default);

        var details = await Storage.Monitoring.GetJobDetailsAsync(id, default);

        Assert.Multiple(() =>
        {
            Assert.That(fetched.Single().CreatedAt, Is.EqualTo(created));
            Assert.That(fetched.Single().EnqueuedAt, Is.EqualTo(created));
            Assert.That(details!.Summary.StateChangedAt, Is.EqualTo(created.AddMinutes(7)));
            Assert.That(details.History.Select(h => h.CreatedAt), Is.EqualTo(new[] { created.AddMinutes(7), created }));
        });
    }

    [Test]
    public async Task Operations_StayConsistent_WhenProducersWorkersAndReadersRunInParallel()
    {
        const int producers = 4;
        const int jobsPerProducer = 100;
        var done = new ConcurrentBag<string>();
        using var allDone = new CancellationTokenSource();
        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < jobsPerProducer; i++)
            {
                await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(i), i % 2 == 0 ? "default" : "critical", new EnqueuedState()), default);
            }
        })).ToList();
        var working = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var server = $"server-{w}";
            while (done.Count < producers * jobsPerProducer)
            {
                var batch = await Storage.FetchNextAsync(new FetchRequest(["critical", "default"], 2, server), default);
                if (batch.Count == 0)
                {
                    // The manual clock never moves here, so an idle worker waits for an enqueue or for the end.
                    try
                    {
                        await Storage.WaitForJobsAsync(["critical", "default"], TimeSpan.FromHours(1), allDone.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    continue;
                }

                var changes = batch.Select(j => new StateChange(j.Id, new SucceededState(null, TimeSpan.Zero, TimeSpan.Zero))
                {
                    ExpectedStates = [ProcessingState.StateName],
                    ExpectedServerId = server,
                }).ToList();
                var applied = await Storage.ChangeStatesAsync(changes, default);
                Assert.That(applied, Is.All.True);
                foreach (var job in batch)
                {
                    done.Add(job.Id);
                }

                if (done.Count >= producers * jobsPerProducer)
                {
                    await allDone.CancelAsync();
                }
            }
        })).ToList();
        var reading = Task.Run(async () =>
        {
            while (done.Count < producers * jobsPerProducer)
            {
                await Storage.Monitoring.GetStatisticsAsync(default);
                await Storage.Monitoring.GetJobsAsync(SucceededState.StateName, 0, 20, default);
                await Storage.Monitoring.GetQueuesAsync(5, default);
            }
        });

        await Task.WhenAll(producing.Concat(working).Append(reading)).WaitAsync(TimeSpan.FromMinutes(2));
        var stats = await Storage.Monitoring.GetStatisticsAsync(default);

        Assert.That(done, Is.Unique);
        Assert.That(stats.Succeeded, Is.EqualTo(producers * jobsPerProducer));
        Assert.That(stats.Enqueued + stats.Processing, Is.Zero);
    }
}
