using System.Collections.Concurrent;
using System.Linq.Expressions;
using Jobs.Common;
using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Jobs.Tests.Server;

/// <summary>Fetching and completion seen through a mocked storage: batch sizes, no hoarding, batched outcomes.</summary>
public sealed class JobDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private ConcurrentQueue<string> _calls = null!;
    private ConcurrentQueue<FetchRequest> _requests = null!;
    private ConcurrentQueue<IReadOnlyList<StateChange>> _completions = null!;
    private ConcurrentQueue<IReadOnlyList<FetchedJob>> _batches = null!;
    private ServerProbe _probe = null!;
    private Mock<IJobStorage> _storage = null!;
    private ServiceProvider _services = null!;
    private BackgroundJobServer? _server;
    private int _nextId;
    private int _taken;

    [SetUp]
    public void SetUp()
    {
        _calls = new();
        _requests = new();
        _completions = new();
        _batches = new();
        _server = null;
        _nextId = 0;
        _taken = 0;
        _probe = new ServerProbe();
        _services = new ServiceCollection().AddSingleton(_probe).BuildServiceProvider();
        _storage = new Mock<IJobStorage>();
        _storage.Setup(s => s.FetchNextAsync(It.IsAny<FetchRequest>(), It.IsAny<CancellationToken>()))
            .Returns((FetchRequest request, CancellationToken _) =>
            {
                _requests.Enqueue(request);
                var batch = _batches.TryDequeue(out var next) ? next : [];
                _calls.Enqueue($"fetch:{request.Count}->{batch.Count}");
                return Task.FromResult(batch);
            });
        _storage.Setup(s => s.WaitForJobsAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<string> _, TimeSpan timeout, CancellationToken ct) =>
            {
                _calls.Enqueue("wait");
                return Task.Delay(timeout, ct);
            });
        _storage.Setup(s => s.ChangeStatesAsync(It.IsAny<IReadOnlyList<StateChange>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<StateChange> changes, CancellationToken _) =>
            {
                _completions.Enqueue(changes.ToArray());
                return Task.FromResult<IReadOnlyList<bool>>(changes.Select(_ => true).ToArray());
            });
        _storage.Setup(s => s.HeartbeatAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _storage.Setup(s => s.GetJobsNoLongerHeldAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _storage.Setup(s => s.RemoveTimedOutServersAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    [TearDown]
    public async Task TearDown()
    {
        _probe.Gate.TrySetResult();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _services.DisposeAsync();
    }

    [Test]
    public async Task Fetch_AsksForAsManyJobsAsIdleWorkers_WhenAllWorkersAreIdle()
    {
        await StartAsync(workers: 4);

        var request = await NextRequestAsync();

        Assert.Multiple(() =>
        {
            Assert.That(request.Count, Is.EqualTo(4));
            Assert.That(request.ServerId, Is.EqualTo(_server!.ServerId));
            Assert.That(request.Queues, Is.EqualTo(new[] { "critical", "default" }));
        });
    }

    [Test]
    public async Task Fetch_AsksForIdleWorkersAndJobsAhead_WhenPrefetchIsOn()
    {
        // Wake-ups come quickly, well within the poll interval after which a job claimed ahead would be given back.
        _storage.Setup(s => s.WaitForJobsAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<string> _, TimeSpan _, CancellationToken ct) => Task.Delay(50, ct));
        _batches.Enqueue([Fetched(j => j.RunAsync("a")), Fetched(j => j.RunAsync("b")), Fetched(j => j.RunAsync("c"))]);
        await StartAsync(workers: 2, prefetch: 2);
        await WaitAsync(_probe.Started, 2);

        var first = await NextRequestAsync();
        var second = await NextRequestAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Count, Is.EqualTo(4));
            Assert.That(second.Count, Is.EqualTo(1), "two workers busy and one job waiting: one more may be claimed ahead");
        });
    }

    [Test]
    public async Task Fetch_AsksOnlyForFreeWorkers_WhenSomeWorkersAreBusy()
    {
        _batches.Enqueue([Fetched(j => j.RunAsync("a")), Fetched(j => j.RunAsync("b"))]);
        await StartAsync(workers: 3);
        await WaitAsync(_probe.Started, 2);

        var first = await NextRequestAsync();
        var second = await NextRequestAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Count, Is.EqualTo(3));
            Assert.That(second.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Fetch_FetchesAgainWithoutWaiting_WhenBatchWasFull()
    {
        // A wake-up that never comes: only a fetch that does not wait for it can follow the first one.
        _storage.Setup(s => s.WaitForJobsAsync(It.IsAny<IReadOnlyList<string>>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<string> _, TimeSpan _, CancellationToken ct) => Task.Delay(Timeout.Infinite, ct));
        _batches.Enqueue([Fetched(j => j.Noop()), Fetched(j => j.Noop())]);
        await StartAsync(workers: 2);

        var first = await NextRequestAsync();
        var second = await NextRequestAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Count, Is.EqualTo(2));
            Assert.That(second.Count, Is.GreaterThan(0));
            Assert.That(_calls.Where(c => c.StartsWith("fetch", StringComparison.Ordinal)).First(), Is.EqualTo("fetch:2->2"));
        });
    }

    [Test]
    public async Task Complete_StoresOutcomesOfSeveralJobsInOneRoundTrip_WhenTheyFinishDuringAnotherRoundTrip()
    {
        var firstRoundTrip = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _storage.Setup(s => s.ChangeStatesAsync(It.IsAny<IReadOnlyList<StateChange>>(), It.IsAny<CancellationToken>()))
            .Returns(async (IReadOnlyList<StateChange> changes, CancellationToken _) =>
            {
                _completions.Enqueue(changes.ToArray());
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await firstRoundTrip.Task;
                }

                return (IReadOnlyList<bool>)changes.Select(_ => true).ToArray();
            });
        _batches.Enqueue([Fetched(j => j.Run("1"))]);
        _batches.Enqueue([Fetched(j => j.Run("2")), Fetched(j => j.Run("3")), Fetched(j => j.Run("4"))]);
        await StartAsync(workers: 4);
        await WaitAsync(_probe.Finished, 4);

        firstRoundTrip.SetResult();
        using var timeout = new CancellationTokenSource(Patience);
        while (_completions.Sum(c => c.Count) < 4)
        {
            await Task.Delay(10, timeout.Token);
        }

        var batches = _completions.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(batches, Has.Length.EqualTo(2));
            Assert.That(batches[1], Has.Count.EqualTo(3));
            Assert.That(batches.SelectMany(b => b).Select(c => c.NewState.Name), Is.All.EqualTo(SucceededState.StateName));
            Assert.That(batches.SelectMany(b => b).Select(c => c.ExpectedServerId), Is.All.EqualTo(_server!.ServerId));
            Assert.That(batches.SelectMany(b => b).Select(c => c.ExpectedStates), Is.All.EqualTo(new[] { ProcessingState.StateName }));
        });
    }

    [Test]
    public async Task Stop_RemovesServerSoItsJobsAreRequeued_WhenJobsWereFetchedButNotStarted()
    {
        _batches.Enqueue([Fetched(j => j.RunAsync("a"))]);
        await StartAsync(workers: 1, shutdownTimeout: TimeSpan.Zero);
        await WaitAsync(_probe.Started, 1);

        await _server!.StopAsync(CancellationToken.None);

        _storage.Verify(s => s.RemoveServerAsync(_server.ServerId, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private async Task StartAsync(int workers, TimeSpan? shutdownTimeout = null, int prefetch = 0)
    {
        var options = new BackgroundJobServerOptions
        {
            ServerName = "mock",
            WorkerCount = workers,
            PrefetchCount = prefetch,
            Queues = ["critical", "default"],
            QueuePollInterval = TimeSpan.FromSeconds(5),
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(5),
        };
        _server = new BackgroundJobServer(options, _storage.Object, _services, new JobFilterProvider([]))
        {
            AbortGrace = TimeSpan.FromMilliseconds(200),
        };
        await _server.StartAsync(CancellationToken.None);
    }

    private FetchedJob Fetched(Expression<Action<ProbeJob>> call)
    {
        var job = JobExpression.Parse(call, typeof(ProbeJob));
        var now = DateTimeOffset.UtcNow;
        return new FetchedJob((++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), InvocationData.Serialize(job), "default", 0, now, now, null);
    }

    private FetchedJob Fetched(Expression<Func<ProbeJob, Task>> call)
    {
        var job = JobExpression.Parse(call, typeof(ProbeJob));
        var now = DateTimeOffset.UtcNow;
        return new FetchedJob((++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), InvocationData.Serialize(job), "default", 0, now, now, null);
    }

    private async Task<FetchRequest> NextRequestAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (_requests.Count <= _taken)
        {
            await Task.Delay(10, timeout.Token);
        }

        return _requests.ElementAt(_taken++);
    }

    private static async Task WaitAsync(SemaphoreSlim signal, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.That(await signal.WaitAsync(Patience), Is.True, "The signal did not come in time.");
        }
    }
}
