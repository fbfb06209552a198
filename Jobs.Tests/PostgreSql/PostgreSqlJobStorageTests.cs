using Jobs.Common;
using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Npgsql;

namespace Jobs.Tests.PostgreSql;

[TestFixture]
public sealed class PostgreSqlJobStorageTests
{
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(30);
    private readonly List<string> _schemas = [];
    private readonly List<PostgreSqlJobStorage> _storages = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }

        foreach (var schema in _schemas)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(schema);
        }

        _storages.Clear();
        _schemas.Clear();
    }

    [Test]
    public async Task CreateJobAsync_StoresJobAndEnqueuedState_WhenEnqueued()
    {
        var storage = CreateSut();

        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var stored = await storage.GetJobAsync(id, CancellationToken.None);

        Assert.That(stored, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(stored.Queue, Is.EqualTo("q1"));
            Assert.That(stored.Invocation, Is.EqualTo(Invocation("a")).Using<InvocationData>(SameInvocation));
        });
    }

    [Test]
    public async Task FetchNextAsync_MarksJobProcessing_ThenChangeStatesAsyncStoresSucceeded()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        var fetched = await storage.FetchNextAsync(new FetchRequest(["q1"], 5, "server-1"), CancellationToken.None);
        var processing = await storage.GetJobAsync(id, CancellationToken.None);
        var applied = await storage.ChangeStatesAsync(
            [new StateChange(id, new SucceededState(null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5))) { ExpectedStates = [ProcessingState.StateName], ExpectedServerId = "server-1" }],
            CancellationToken.None);
        var succeeded = await storage.GetJobAsync(id, CancellationToken.None);
        var details = await storage.Monitoring.GetJobDetailsAsync(id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(fetched.Select(f => f.Id), Is.EqualTo(new[] { id }));
            Assert.That(processing!.StateName, Is.EqualTo(ProcessingState.StateName));
            Assert.That(processing.ServerId, Is.EqualTo("server-1"));
            Assert.That(applied, Is.EqualTo(new[] { true }));
            Assert.That(succeeded!.StateName, Is.EqualTo(SucceededState.StateName));
            Assert.That(succeeded.ServerId, Is.Null);
            Assert.That(details!.History.Select(h => h.StateName), Is.EqualTo(new[] { "Succeeded", "Processing", "Enqueued" }));
            Assert.That(details.ExpireAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task ChangeStatesAsync_ReturnsFalse_WhenJobIsNoLongerInExpectedState()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        var results = await storage.ChangeStatesAsync(
            [
                new StateChange(id, new DeletedState()) { ExpectedStates = [ProcessingState.StateName] },
                new StateChange("not-a-number", new DeletedState()),
                new StateChange("999999999", new DeletedState()),
            ],
            CancellationToken.None);
        var stored = await storage.GetJobAsync(id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(new[] { false, false, false }));
            Assert.That(stored!.StateName, Is.EqualTo(EnqueuedState.StateName));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_AppliesExactlyOne_WhenManyChangesRaceFromTheSameState()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(n => Task.Run(() => storage.ChangeStatesAsync(
            [new StateChange(id, new ProcessingState("s" + n)) { ExpectedStates = [EnqueuedState.StateName] }],
            CancellationToken.None))));
        var stored = await storage.GetJobAsync(id, CancellationToken.None);
        var winner = Array.FindIndex(results, r => r[0]);

        Assert.Multiple(async () =>
        {
            Assert.That(results.Count(r => r[0]), Is.EqualTo(1));
            Assert.That(stored!.ServerId, Is.EqualTo("s" + winner));
            Assert.That((await storage.Monitoring.GetJobDetailsAsync(id, CancellationToken.None))!.History, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_AppliesChangesInOrder_WhenBatchHoldsSameJobTwice()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        var results = await storage.ChangeStatesAsync(
            [
                new StateChange(id, new ScheduledState(DateTimeOffset.UtcNow.AddHours(1))) { ExpectedStates = [EnqueuedState.StateName], RetryCount = 1 },
                new StateChange(id, new EnqueuedState("q2")) { ExpectedStates = [ScheduledState.StateName] },
            ],
            CancellationToken.None);
        var stored = await storage.GetJobAsync(id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(new[] { true, true }));
            Assert.That(stored!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(stored.Queue, Is.EqualTo("q2"));
            Assert.That(stored.RetryCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task FetchNextOnAsync_ReturnsJobsAnEarlierAttemptClaimed_WhenRetryingAfterALostAnswer()
    {
        var storage = CreateSut();
        var ids = await storage.CreateJobsAsync([NewJob("q1"), NewJob("q1"), NewJob("q1")], CancellationToken.None);
        var request = new FetchRequest(["q1"], 2, "s1");
        var at = DateTimeOffset.UtcNow;
        await using var connection = await storage.DataSource.OpenConnectionAsync();

        var lost = await storage.FetchNextOnAsync(connection, request with { Count = 1 }, at, isRetry: false, CancellationToken.None);
        var retried = await storage.FetchNextOnAsync(connection, request, at, isRetry: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lost.Select(f => f.Id), Is.EqualTo(new[] { ids[0] }));
            Assert.That(retried.Select(f => f.Id), Is.EqualTo(new[] { ids[0], ids[1] }));
        });
    }

    [Test]
    public async Task ChangeStatesOnAsync_ReportsApplied_WhenRetryingAChangeAnEarlierAttemptCommitted()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var changes = new[] { new StateChange(id, new DeletedState()) { ExpectedStates = [EnqueuedState.StateName] } };
        var at = DateTimeOffset.UtcNow;
        await using var connection = await storage.DataSource.OpenConnectionAsync();

        var first = await storage.ChangeStatesOnAsync(connection, changes, [0], at, isRetry: false, CancellationToken.None);
        var retry = await storage.ChangeStatesOnAsync(connection, changes, [0], at, isRetry: true, CancellationToken.None);
        var plain = await storage.ChangeStatesOnAsync(connection, changes, [0], at.AddSeconds(1), isRetry: false, CancellationToken.None);
        var details = await storage.Monitoring.GetJobDetailsAsync(id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { 0 }));
            Assert.That(retry, Is.EqualTo(new[] { 0 }));
            Assert.That(plain, Is.Empty);
            Assert.That(details!.History, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task FindCreatedJobsAsync_FindsJobsOfAnEarlierAttempt_OnlyWhenAllOfThemWereCreated()
    {
        var storage = CreateSut();
        await storage.InitializeAsync(CancellationToken.None);
        var jobs = new[] { new NewJob(Invocation("x"), "q1", new EnqueuedState()), new NewJob(Invocation("y"), "q1", new EnqueuedState()) };
        var at = DateTimeOffset.UtcNow;
        await using var connection = await storage.DataSource.OpenConnectionAsync();

        var before = await storage.FindCreatedJobsAsync(connection, jobs, at, CancellationToken.None);
        var ids = await storage.CreateJobsOnAsync(connection, null, jobs, null, CancellationToken.None, at);
        var after = await storage.FindCreatedJobsAsync(connection, jobs, at, CancellationToken.None);
        var other = await storage.FindCreatedJobsAsync(connection, [jobs[1], jobs[0]], at, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Null);
            Assert.That(after, Is.EqualTo(ids));
            Assert.That(other, Is.Null);
        });
    }

    [Test]
    public async Task GetJobAsync_ReturnsNull_WhenIdIsNotNumeric()
    {
        var storage = CreateSut();

        var job = await storage.GetJobAsync("abc", CancellationToken.None);
        var details = await storage.Monitoring.GetJobDetailsAsync("-1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(job, Is.Null);
            Assert.That(details, Is.Null);
        });
    }

    [Test]
    public async Task FetchNextAsync_NeverHandsOutAJobTwice_WhenFetchersRunConcurrently()
    {
        var storage = CreateSut();
        var jobs = Enumerable.Range(0, 200).Select(_ => NewJob("q1")).ToArray();
        var created = await storage.CreateJobsAsync(jobs, CancellationToken.None);

        var fetchers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var batch = await storage.FetchNextAsync(new FetchRequest(["q1"], 7, $"server-{n}"), CancellationToken.None);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(b => b.Id));
            }
        })).ToArray();
        var all = (await Task.WhenAll(fetchers)).SelectMany(x => x).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(all, Is.Unique);
            Assert.That(all, Is.EquivalentTo(created));
        });
    }

    [Test]
    public async Task FetchNextAsync_TakesEarlierQueuesFirstAndOldestFirst_WhenSeveralQueuesHaveJobs()
    {
        var storage = CreateSut();
        var low1 = await storage.CreateJobAsync(NewJob("low"), CancellationToken.None);
        var high1 = await storage.CreateJobAsync(NewJob("high"), CancellationToken.None);
        var low2 = await storage.CreateJobAsync(NewJob("low"), CancellationToken.None);
        var high2 = await storage.CreateJobAsync(NewJob("high"), CancellationToken.None);

        var first = await storage.FetchNextAsync(new FetchRequest(["high", "low"], 3, "s"), CancellationToken.None);
        var second = await storage.FetchNextAsync(new FetchRequest(["high", "low"], 3, "s"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(f => f.Id), Is.EqualTo(new[] { high1, high2, low1 }));
            Assert.That(second.Select(f => f.Id), Is.EqualTo(new[] { low2 }));
        });
    }

    [Test]
    public async Task EnqueueDueScheduledJobsAsync_EnqueuesOnlyDueJobs_WhenSomeAreStillInTheFuture()
    {
        var storage = CreateSut();
        var now = DateTimeOffset.UtcNow;
        var due = await storage.CreateJobAsync(NewJob("q1", new ScheduledState(now.AddMinutes(-1))), CancellationToken.None);
        var later = await storage.CreateJobAsync(NewJob("q1", new ScheduledState(now.AddHours(1))), CancellationToken.None);

        var moved = await storage.EnqueueDueScheduledJobsAsync(now, 100, CancellationToken.None);
        var fetched = await storage.FetchNextAsync(new FetchRequest(["q1"], 10, "s"), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(moved, Is.EqualTo(1));
            Assert.That(fetched.Select(f => f.Id), Is.EqualTo(new[] { due }));
            Assert.That((await storage.GetJobAsync(later, CancellationToken.None))!.StateName, Is.EqualTo(ScheduledState.StateName));
        });
    }

    [Test]
    public async Task EnqueueDueScheduledJobsAsync_MovesEachJobOnce_WhenSchedulersRunConcurrently()
    {
        var storage = CreateSut();
        var now = DateTimeOffset.UtcNow;
        await storage.CreateJobsAsync(Enumerable.Range(0, 100).Select(i => NewJob("q1", new ScheduledState(now.AddSeconds(-i)))).ToArray(), CancellationToken.None);

        var moved = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var total = 0;
            int batch;
            while ((batch = await storage.EnqueueDueScheduledJobsAsync(now, 7, CancellationToken.None)) > 0)
            {
                total += batch;
            }

            return total;
        })));
        var stats = await storage.Monitoring.GetStatisticsAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(moved.Sum(), Is.EqualTo(100));
            Assert.That(stats.Enqueued, Is.EqualTo(100));
            Assert.That(stats.Scheduled, Is.Zero);
        });
    }

    [Test]
    public async Task ChangeStatesAsync_EnqueuesAllContinuations_WhenParentSucceeds()
    {
        var storage = CreateSut();
        var parent = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var onSuccess = await storage.CreateJobAsync(NewJob("q2", new AwaitingState(parent)), CancellationToken.None);
        var onAny = await storage.CreateJobAsync(NewJob("q2", new AwaitingState(parent, JobContinuationOptions.OnAnyFinishedState)), CancellationToken.None);

        await storage.ChangeStatesAsync([new StateChange(parent, new SucceededState(null, TimeSpan.Zero, TimeSpan.Zero))], CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((await storage.GetJobAsync(onSuccess, CancellationToken.None))!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await storage.GetJobAsync(onAny, CancellationToken.None))!.StateName, Is.EqualTo(EnqueuedState.StateName));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_DeletesOnlyOnSuccessContinuationsAndEnqueuesOthers_WhenParentDeleted()
    {
        var storage = CreateSut();
        var parent = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var onSuccess = await storage.CreateJobAsync(NewJob("q2", new AwaitingState(parent)), CancellationToken.None);
        var onAny = await storage.CreateJobAsync(NewJob("q2", new AwaitingState(parent, JobContinuationOptions.OnAnyFinishedState)), CancellationToken.None);
        var grandChild = await storage.CreateJobAsync(NewJob("q2", new AwaitingState(onSuccess)), CancellationToken.None);

        await storage.ChangeStatesAsync([new StateChange(parent, new DeletedState())], CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((await storage.GetJobAsync(onSuccess, CancellationToken.None))!.StateName, Is.EqualTo(DeletedState.StateName));
            Assert.That((await storage.GetJobAsync(onAny, CancellationToken.None))!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await storage.GetJobAsync(grandChild, CancellationToken.None))!.StateName, Is.EqualTo(DeletedState.StateName));
        });
    }

    [Test]
    public async Task CreateJobAsync_WritesNextStateAtOnce_WhenParentAlreadyFinished()
    {
        var storage = CreateSut();
        var parent = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        await storage.ChangeStatesAsync([new StateChange(parent, new SucceededState(null, TimeSpan.Zero, TimeSpan.Zero))], CancellationToken.None);

        var continuation = await storage.CreateJobAsync(NewJob("q2", new AwaitingState(parent)), CancellationToken.None);

        Assert.That((await storage.GetJobAsync(continuation, CancellationToken.None))!.StateName, Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task InTransaction_ThrowsNamingParentAndKeepsTransactionUsable_WhenParentDoesNotExist()
    {
        var storage = CreateSut();
        await storage.InitializeAsync(CancellationToken.None);
        await using var connection = await PostgreSqlTestDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var inTransaction = storage.InTransaction(transaction);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => inTransaction.CreateJobAsync(NewJob("q2", new AwaitingState("123456789")), CancellationToken.None));
        var id = await inTransaction.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        await transaction.CommitAsync();

        Assert.That(ex!.Message, Does.Contain("123456789"));
        Assert.That((await storage.GetJobAsync(id, CancellationToken.None))!.StateName, Is.EqualTo(EnqueuedState.StateName));
        Assert.That((await storage.Monitoring.GetStatisticsAsync(CancellationToken.None)).Deleted, Is.Zero);
    }

    [Test]
    public async Task InTransaction_CreatesJob_OnlyWhenCallersTransactionCommits()
    {
        var storage = CreateSut();
        await storage.InitializeAsync(CancellationToken.None);
        var client = new BackgroundJobClient(storage);
        string committed;
        string rolledBack;
        await using (var connection = await PostgreSqlTestDatabase.OpenConnectionAsync())
        {
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                committed = await client.InTransaction(transaction).EnqueueAsync(() => SampleJobs.Run("commit", 1));
                await transaction.CommitAsync();
            }

            await using (var transaction = await connection.BeginTransactionAsync())
            {
                rolledBack = await client.InTransaction(transaction).EnqueueAsync(() => SampleJobs.Run("rollback", 2));
                Assert.That(await storage.GetJobAsync(rolledBack, CancellationToken.None), Is.Null, "visible before commit");
                await transaction.RollbackAsync();
            }
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await storage.GetJobAsync(committed, CancellationToken.None), Is.Not.Null);
            Assert.That(await storage.GetJobAsync(rolledBack, CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task InTransaction_ThrowsNamingTheProblem_WhenClientIsNotOverPostgreSqlStorage()
    {
        var client = new Moq.Mock<IBackgroundJobClient>().Object;
        await using var connection = await PostgreSqlTestDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var ex = Assert.Throws<ArgumentException>(() => client.InTransaction(transaction));

        Assert.That(ex!.Message, Does.Contain(nameof(BackgroundJobClient)));
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenJobIsEnqueuedInAWatchedQueue()
    {
        var storage = CreateSut();
        await storage.InitializeAsync(CancellationToken.None);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        storage.Notifier.Listening += () => listening.TrySetResult();
        storage.Notifier.EnsureStarted();
        await listening.Task.WaitAsync(SignalTimeout);

        var wait = storage.WaitForJobsAsync(["q1"], TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.That(wait.IsCompleted, Is.False);
        await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        Assert.That(await Task.WhenAny(wait, Task.Delay(SignalTimeout)), Is.SameAs(wait));
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenListenerConnectionWasKilledAndReconnected()
    {
        var applicationName = "jobs-test-" + Guid.NewGuid().ToString("N")[..8];
        var storage = CreateSut(applicationName: applicationName, configure: o => o.NotificationReconnectDelay = TimeSpan.FromMilliseconds(50));
        await storage.InitializeAsync(CancellationToken.None);
        var connected = 0;
        var firstListen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondListen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        storage.Notifier.Listening += () => (Interlocked.Increment(ref connected) == 1 ? firstListen : secondListen).TrySetResult();
        storage.Notifier.EnsureStarted();
        await firstListen.Task.WaitAsync(SignalTimeout);

        await TerminateBackendsAsync(applicationName);
        await secondListen.Task.WaitAsync(SignalTimeout);
        var wait = storage.WaitForJobsAsync(["q1"], TimeSpan.FromMinutes(10), CancellationToken.None);
        await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        Assert.That(await Task.WhenAny(wait, Task.Delay(SignalTimeout)), Is.SameAs(wait));
    }

    [Test]
    public async Task GetJobAsync_RetriesAndSucceeds_WhenPooledConnectionsWereTerminated()
    {
        var applicationName = "jobs-test-" + Guid.NewGuid().ToString("N")[..8];
        var storage = CreateSut(applicationName: applicationName);
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);

        await TerminateBackendsAsync(applicationName);
        var stored = await storage.GetJobAsync(id, CancellationToken.None);

        Assert.That(stored, Is.Not.Null);
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenTimeoutPassesWithoutNotification()
    {
        var storage = CreateSut();
        await storage.InitializeAsync(CancellationToken.None);

        var wait = storage.WaitForJobsAsync(["q1"], TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.That(await Task.WhenAny(wait, Task.Delay(SignalTimeout)), Is.SameAs(wait));
    }

    [Test]
    public async Task RemoveTimedOutServersAsync_RequeuesTheirJobs_WhenHeartbeatIsTooOld()
    {
        var storage = CreateSut();
        var now = DateTimeOffset.UtcNow;
        await storage.AnnounceServerAsync(new ServerAnnouncement("dead", 2, ["q1"], now.AddHours(-1)), CancellationToken.None);
        await storage.HeartbeatAsync("dead", now.AddHours(-1), CancellationToken.None);
        await storage.AnnounceServerAsync(new ServerAnnouncement("alive", 2, ["q1"], now), CancellationToken.None);
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        await storage.FetchNextAsync(new FetchRequest(["q1"], 1, "dead"), CancellationToken.None);

        var removed = await storage.RemoveTimedOutServersAsync(now.AddMinutes(-5), CancellationToken.None);
        var stored = await storage.GetJobAsync(id, CancellationToken.None);
        var details = await storage.Monitoring.GetJobDetailsAsync(id, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(removed, Is.EqualTo(new[] { "dead" }));
            Assert.That(stored!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(stored.ServerId, Is.Null);
            Assert.That(details!.Summary.StateReason, Does.Contain("dead"));
            Assert.That(await storage.HeartbeatAsync("dead", now, CancellationToken.None), Is.False);
            Assert.That(await storage.HeartbeatAsync("alive", now, CancellationToken.None), Is.True);
        });
    }

    [Test]
    public async Task GetJobsNoLongerHeldAsync_ReturnsRequeuedAndUnknownJobs_WhenServerWasRemoved()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var kept = await storage.CreateJobAsync(NewJob("q2"), CancellationToken.None);
        await storage.FetchNextAsync(new FetchRequest(["q1", "q2"], 2, "s1"), CancellationToken.None);

        var requeued = await storage.ChangeStatesAsync([new StateChange(id, new EnqueuedState()) { ExpectedStates = ["Processing"] }], CancellationToken.None);
        var gone = await storage.GetJobsNoLongerHeldAsync("s1", [id, kept, "x"], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(requeued, Is.EqualTo(new[] { true }));
            Assert.That(gone, Is.EqualTo(new[] { id, "x" }));
        });
    }

    [Test]
    public async Task RemoveServerAsync_RequeuesJobsItHeld()
    {
        var storage = CreateSut();
        await storage.AnnounceServerAsync(new ServerAnnouncement("s1", 1, ["q1"], DateTimeOffset.UtcNow), CancellationToken.None);
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        await storage.FetchNextAsync(new FetchRequest(["q1"], 1, "s1"), CancellationToken.None);

        var count = await storage.RemoveServerAsync("s1", "shutdown", CancellationToken.None);
        var refetched = await storage.FetchNextAsync(new FetchRequest(["q1"], 1, "s2"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(1));
            Assert.That(refetched.Select(f => f.Id), Is.EqualTo(new[] { id }));
        });
    }

    [Test]
    public async Task AcquireLockAsync_ThrowsDistributedLockTimeout_WhenLockIsHeldElsewhere()
    {
        var storage = CreateSut();
        var other = CreateSut(storage.Options.SchemaName);

        await using (await storage.AcquireLockAsync("resource", TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            Assert.ThrowsAsync<DistributedLockTimeoutException>(() => other.AcquireLockAsync("resource", TimeSpan.FromMilliseconds(200), CancellationToken.None));
        }

        await using var second = await other.AcquireLockAsync("resource", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.That(second, Is.Not.Null);
    }

    [Test]
    public async Task DeleteExpiredJobsAsync_RemovesSucceededJobsAndKeepsFailedAndStatistics_WhenRetentionPassed()
    {
        var storage = CreateSut();
        var succeeded = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var failed = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        await storage.ChangeStatesAsync(
            [
                new StateChange(succeeded, new SucceededState(null, TimeSpan.Zero, TimeSpan.Zero)),
                new StateChange(failed, new FailedState(new InvalidOperationException("boom"))),
            ],
            CancellationToken.None);

        var early = await storage.DeleteExpiredJobsAsync(DateTimeOffset.UtcNow, 100, CancellationToken.None);
        var deleted = await storage.DeleteExpiredJobsAsync(DateTimeOffset.UtcNow.AddDays(2), 100, CancellationToken.None);
        var stats = await storage.Monitoring.GetStatisticsAsync(CancellationToken.None);
        var timeline = await storage.Monitoring.GetHourlyTimelineAsync(DateTimeOffset.UtcNow, 2, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(early, Is.Zero);
            Assert.That(deleted, Is.EqualTo(1));
            Assert.That(await storage.GetJobAsync(succeeded, CancellationToken.None), Is.Null);
            Assert.That(await storage.GetJobAsync(failed, CancellationToken.None), Is.Not.Null);
            Assert.That(stats.Succeeded, Is.Zero);
            Assert.That(stats.Failed, Is.EqualTo(1));
            Assert.That(timeline.Sum(t => t.Succeeded), Is.EqualTo(1));
            Assert.That(timeline.Sum(t => t.Failed), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_CreatesExactlyOneJob_WhenManyServersClaimTheSameOccurrence()
    {
        var storage = CreateSut();
        var next = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r"), "* * * * *", "UTC", "q1", next), CancellationToken.None);
        var claim = new RecurringOccurrenceClaim("rec", next, next.AddMinutes(1), next, NewJob("q1"));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => storage.ClaimRecurringOccurrenceAsync(claim, CancellationToken.None))));
        var record = await storage.GetRecurringJobAsync("rec", CancellationToken.None);
        var created = results.Single(r => r.Outcome == RecurringClaimOutcome.Created);

        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.Outcome == RecurringClaimOutcome.LostRace), Is.EqualTo(15));
            Assert.That(record!.LastJobId, Is.EqualTo(created.JobId));
            Assert.That(record.LastJobState, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(record.NextExecution, Is.EqualTo(next.AddMinutes(1)));
            Assert.That(record.LastExecution, Is.EqualTo(next));
        });
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_RecordsSkip_WhenPreviousRunIsStillEnqueued()
    {
        var storage = CreateSut();
        var next = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r"), "* * * * *", "UTC", "q1", next), CancellationToken.None);
        var first = await storage.ClaimRecurringOccurrenceAsync(new RecurringOccurrenceClaim("rec", next, next.AddMinutes(1), next, NewJob("q1")), CancellationToken.None);

        var second = await storage.ClaimRecurringOccurrenceAsync(
            new RecurringOccurrenceClaim("rec", next.AddMinutes(1), next.AddMinutes(2), next.AddMinutes(1), NewJob("q1")), CancellationToken.None);
        var record = await storage.GetRecurringJobAsync("rec", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Outcome, Is.EqualTo(RecurringClaimOutcome.Created));
            Assert.That(second.Outcome, Is.EqualTo(RecurringClaimOutcome.Skipped));
            Assert.That(record!.LastSkipReason, Is.Not.Null);
            Assert.That(record.LastSkippedAt, Is.EqualTo(next.AddMinutes(1)));
            Assert.That(record.LastJobId, Is.EqualTo(first.JobId));
        });
    }

    [Test]
    public async Task AddOrUpdateRecurringJobAsync_KeepsNextExecutionAndPause_WhenScheduleIsUnchanged()
    {
        var storage = CreateSut();
        var next = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r"), "* * * * *", "UTC", "q1", next), CancellationToken.None);
        await storage.SetRecurringJobPausedAsync("rec", true, null, CancellationToken.None);

        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r2"), "* * * * *", "UTC", "q2", next.AddDays(1)), CancellationToken.None);
        var unchanged = await storage.GetRecurringJobAsync("rec", CancellationToken.None);
        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r2"), "0 * * * *", "UTC", "q2", next.AddDays(2)), CancellationToken.None);
        var changed = await storage.GetRecurringJobAsync("rec", CancellationToken.None);
        var due = await storage.GetDueRecurringJobsAsync(next.AddYears(1), 10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(unchanged!.NextExecution, Is.EqualTo(next));
            Assert.That(unchanged.Paused, Is.True);
            Assert.That(unchanged.Queue, Is.EqualTo("q2"));
            Assert.That(changed!.NextExecution, Is.EqualTo(next.AddDays(2)));
            Assert.That(due, Is.Empty, "paused jobs are never due");
        });
    }

    [Test]
    public async Task SetRecurringJobPausedAsync_SetsNextRunOnResume_AndRemoveRecurringJobAsyncReportsExistence()
    {
        var storage = CreateSut();
        var next = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r"), "* * * * *", "UTC", "q1", next), CancellationToken.None);

        var paused = await storage.SetRecurringJobPausedAsync("rec", true, null, CancellationToken.None);
        var resumed = await storage.SetRecurringJobPausedAsync("rec", false, next.AddHours(1), CancellationToken.None);
        var due = await storage.GetDueRecurringJobsAsync(next.AddHours(1), 10, CancellationToken.None);
        var missing = await storage.SetRecurringJobPausedAsync("nope", true, null, CancellationToken.None);
        var removed = await storage.RemoveRecurringJobAsync("rec", CancellationToken.None);
        var removedAgain = await storage.RemoveRecurringJobAsync("rec", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(paused && resumed, Is.True);
            Assert.That(due.Single().NextExecution, Is.EqualTo(next.AddHours(1)));
            Assert.That(due.Single().Paused, Is.False);
            Assert.That(missing, Is.False);
            Assert.That(removed, Is.True);
            Assert.That(removedAgain, Is.False);
        });
    }

    [Test]
    public async Task CreateJobAsync_BecomesLastRunOfRecurringJob_WhenRecurringJobIdIsSet()
    {
        var storage = CreateSut();
        var next = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("rec", Invocation("r"), "* * * * *", "UTC", "q1", next), CancellationToken.None);

        var id = await storage.CreateJobAsync(NewJob("q1") with { RecurringJobId = "rec" }, CancellationToken.None);
        var record = await storage.GetRecurringJobAsync("rec", CancellationToken.None);
        var runs = await storage.Monitoring.GetRecurringJobRunsAsync("rec", 10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(record!.LastJobId, Is.EqualTo(id));
            Assert.That(record.LastExecution, Is.Not.Null);
            Assert.That(runs.Select(r => r.Id), Is.EqualTo(new[] { id }));
            Assert.That(record.NextExecution, Is.EqualTo(next));
        });
    }

    [Test]
    public async Task CreateJobsAsync_ReturnsDistinctIdsInOrder_WhenBatchSpansSeveralChunks()
    {
        var storage = CreateSut();
        var jobs = Enumerable.Range(0, 12_000).Select(i => new NewJob(Invocation("n" + i), "bulk", new EnqueuedState())).ToArray();

        var ids = await storage.CreateJobsAsync(jobs, CancellationToken.None);
        var first = await storage.Monitoring.GetJobDetailsAsync(ids[0], CancellationToken.None);
        var last = await storage.Monitoring.GetJobDetailsAsync(ids[^1], CancellationToken.None);
        var stats = await storage.Monitoring.GetStatisticsAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(12_000));
            Assert.That(ids, Is.Unique);
            Assert.That(first!.Invocation.Arguments, Does.Contain("\"n0\""));
            Assert.That(last!.Invocation.Arguments, Does.Contain("\"n11999\""));
            Assert.That(stats.Enqueued, Is.EqualTo(12_000));
        });
    }

    [Test]
    public async Task InitializeAsync_Succeeds_WhenSeveralStoragesMigrateTheSameNewSchemaAtOnce()
    {
        var schema = PostgreSqlTestDatabase.NewSchemaName();
        var storages = Enumerable.Range(0, 4).Select(_ => CreateSut(schema)).ToArray();

        await Task.WhenAll(storages.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));
        var id = await storages[0].CreateJobAsync(NewJob("q1"), CancellationToken.None);

        Assert.That(await storages[3].GetJobAsync(id, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task GetStatisticsAsync_CountsJobsPerState_WhenJobsMoveBetweenStates()
    {
        var storage = CreateSut();
        var ids = await storage.CreateJobsAsync(Enumerable.Range(0, 5).Select(_ => NewJob("q1")).ToArray(), CancellationToken.None);
        await storage.CreateJobAsync(NewJob("q1", new ScheduledState(DateTimeOffset.UtcNow.AddHours(1))), CancellationToken.None);
        await storage.FetchNextAsync(new FetchRequest(["q1"], 2, "s"), CancellationToken.None);
        await storage.ChangeStatesAsync([new StateChange(ids[0], new SucceededState(null, TimeSpan.Zero, TimeSpan.Zero))], CancellationToken.None);

        var stats = await storage.Monitoring.GetStatisticsAsync(CancellationToken.None);
        var queues = await storage.Monitoring.GetQueuesAsync(10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(stats.Enqueued, Is.EqualTo(3));
            Assert.That(stats.Processing, Is.EqualTo(1));
            Assert.That(stats.Succeeded, Is.EqualTo(1));
            Assert.That(stats.Scheduled, Is.EqualTo(1));
            Assert.That(queues.Single().Length, Is.EqualTo(3));
            Assert.That(queues.Single().FirstJobs, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task GetStatisticsAsync_CountsRetries_UntilTheRetryIsEnqueued()
    {
        var storage = CreateSut();
        var id = await storage.CreateJobAsync(NewJob("q1"), CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await storage.ChangeStatesAsync(
            [new StateChange(id, new ScheduledState(now.AddSeconds(-1), "Retry attempt 1 of 10")) { RetryCount = 1 }],
            CancellationToken.None);

        var waiting = await storage.Monitoring.GetStatisticsAsync(CancellationToken.None);
        var retries = await storage.Monitoring.GetRetriesAsync(0, 10, CancellationToken.None);
        await storage.EnqueueDueScheduledJobsAsync(now, 10, CancellationToken.None);
        var enqueued = await storage.Monitoring.GetStatisticsAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(waiting.Retries, Is.EqualTo(1));
            Assert.That(retries.Select(r => r.Id), Is.EqualTo(new[] { id }));
            Assert.That(enqueued.Retries, Is.Zero);
            Assert.That(enqueued.Enqueued, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SearchJobsAsync_FindsJobsByIdMethodAndArgumentText()
    {
        var storage = CreateSut();
        var ids = await storage.CreateJobsAsync(
            [new NewJob(Invocation("invoice-4711"), "q1", new EnqueuedState()), new NewJob(Invocation("other"), "q1", new EnqueuedState())],
            CancellationToken.None);

        var byArgument = await storage.Monitoring.SearchJobsAsync("invoice-47", 10, CancellationToken.None);
        var byMethod = await storage.Monitoring.SearchJobsAsync("SampleJobs.Ru", 10, CancellationToken.None);
        var byId = await storage.Monitoring.SearchJobsAsync(ids[1], 10, CancellationToken.None);
        var none = await storage.Monitoring.SearchJobsAsync("no such text", 10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(byArgument.Select(j => j.Id), Is.EqualTo(new[] { ids[0] }));
            Assert.That(byMethod.Select(j => j.Id), Is.EqualTo(new[] { ids[1], ids[0] }));
            Assert.That(byId.Select(j => j.Id), Is.EqualTo(new[] { ids[1] }));
            Assert.That(none, Is.Empty);
        });
    }

    private static async Task TerminateBackendsAsync(string applicationName)
    {
        await using var connection = await PostgreSqlTestDatabase.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND pid <> pg_backend_pid()",
            connection);
        command.Parameters.AddWithValue("name", applicationName);
        var terminated = (long)(await command.ExecuteScalarAsync())!;
        Assert.That(terminated, Is.GreaterThan(0), "no connection to terminate");
    }

    private PostgreSqlJobStorage CreateSut(string? schema = null, string? applicationName = null, Action<PostgreSqlStorageOptions>? configure = null)
    {
        schema ??= PostgreSqlTestDatabase.NewSchemaName();
        if (!_schemas.Contains(schema))
        {
            _schemas.Add(schema);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(PostgreSqlTestDatabase.ConnectionString);
        if (applicationName is not null)
        {
            connectionString.ApplicationName = applicationName;
        }

        var options = new PostgreSqlStorageOptions { SchemaName = schema };
        configure?.Invoke(options);
        var storage = new PostgreSqlJobStorage(connectionString.ConnectionString, options);
        _storages.Add(storage);
        return storage;
    }

    private static InvocationData Invocation(string argument) =>
        new(typeof(SampleJobs).FullName!, nameof(SampleJobs.Run), ["System.String", "System.Int32"], $"[\"{argument}\", 1]");

    private static NewJob NewJob(string queue, IState? state = null) => new(Invocation("a"), queue, state ?? new EnqueuedState());

    private static bool SameInvocation(InvocationData a, InvocationData b) =>
        a.Type == b.Type && a.Method == b.Method && a.Arguments == b.Arguments && a.ParameterTypes.SequenceEqual(b.ParameterTypes);

    public static class SampleJobs
    {
        public static void Run(string value, int count = 1) => ArgumentOutOfRangeException.ThrowIfNegative(count, value);
    }
}
