using System.Collections.Concurrent;
using System.Globalization;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Storage;

/// <summary>
/// What every storage promises, run against each implementation by a subclass. Tests use only the
/// contract (never an implementation's internals). Where the contract takes a time it is passed
/// explicitly; times a storage may take from its own clock (a database's) are asserted loosely.
/// </summary>
public abstract class JobStorageContractTests
{
    /// <summary>How long a test waits for something that should happen at once; generous so a slow machine never fails a test.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IJobStorage? _storage;

    protected ManualTimeProvider Time { get; private set; } = new();

    protected IJobStorage Storage => _storage ?? throw new InvalidOperationException("The storage is created in SetUp.");

    protected IMonitoringApi Monitoring => Storage.Monitoring;

    /// <summary>Starts the manual clock near the real time, so storages that read a database clock for some timestamps agree with it.</summary>
    private static DateTimeOffset StartTime
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }
    }

    /// <summary>A fresh, empty, initialized storage on the given clock.</summary>
    protected abstract Task<IJobStorage> CreateStorageAsync(TimeProvider time);

    protected virtual async Task DisposeStorageAsync(IJobStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        await storage.DisposeAsync();
    }

    [SetUp]
    public async Task SetUpStorage()
    {
        Time = new ManualTimeProvider(StartTime);
        _storage = await CreateStorageAsync(Time);
    }

    [TearDown]
    public async Task TearDownStorage()
    {
        if (_storage is not null)
        {
            await DisposeStorageAsync(_storage);
            _storage = null;
        }
    }

    // ---- create, read, fetch ------------------------------------------------------------------

    [Test]
    public async Task CreateJobAsync_ReturnsIncreasingIntegerIds_WhenJobsAreCreated()
    {
        var first = await EnqueueAsync();
        var second = await EnqueueAsync();

        Assert.That(long.Parse(second, CultureInfo.InvariantCulture), Is.GreaterThan(long.Parse(first, CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task GetJobAsync_ReturnsJobAsWritten_WhenJobWasCreated()
    {
        var invocation = ContractSampleJob.Run(42, "answer");

        var id = await Storage.CreateJobAsync(new NewJob(invocation, "emails", new EnqueuedState()), default);
        var job = await GetAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(job.Id, Is.EqualTo(id));
            Assert.That(job.Invocation.Type, Is.EqualTo(invocation.Type));
            Assert.That(job.Invocation.Method, Is.EqualTo(invocation.Method));
            Assert.That(job.Invocation.ParameterTypes, Is.EqualTo(invocation.ParameterTypes));
            Assert.That(job.Invocation.Arguments, Is.EqualTo(invocation.Arguments));
            Assert.That(job.Queue, Is.EqualTo("emails"));
            Assert.That(job.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(job.RetryCount, Is.Zero);
            Assert.That(job.ServerId, Is.Null);
            Assert.That(job.RecurringJobId, Is.Null);
        });
    }

    private static IEnumerable<TestCaseData> FirstStates()
    {
        yield return new TestCaseData(new EnqueuedState("emails", "Enqueued by a test")).SetArgDisplayNames("Enqueued");
        yield return new TestCaseData(new ScheduledState(StartTime.AddHours(1), "Scheduled by a test")).SetArgDisplayNames("Scheduled");
        yield return new TestCaseData(new DeletedState("Deleted by a test")).SetArgDisplayNames("Deleted");
    }

    [TestCaseSource(nameof(FirstStates))]
    public async Task CreateJobAsync_StoresJobAsInABatch_WhenJobIsCreatedAlone(IState state)
    {
        var before = await Monitoring.GetStatisticsAsync(default);

        var alone = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(7), "emails", state), default);
        var batch = await Storage.CreateJobsAsync([new NewJob(ContractSampleJob.Run(7), "emails", state), new NewJob(ContractSampleJob.Run(8), "emails", state)], default);

        var stored = await Monitoring.GetJobDetailsAsync(alone, default);
        var reference = await Monitoring.GetJobDetailsAsync(batch[0], default);
        var after = await Monitoring.GetStatisticsAsync(default);
        Assert.That(stored, Is.Not.Null);
        Assert.That(reference, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Summary, Is.EqualTo(reference!.Summary).Using<JobSummary>(SameSummary));
            Assert.That(stored.History.Select(Describe), Is.EqualTo(reference.History.Select(Describe)));
            Assert.That(stored.ExpireAt, Is.EqualTo(reference.ExpireAt));
            Assert.That(stored.ParentId, Is.Null);
            Assert.That(Count(after, state.Name) - Count(before, state.Name), Is.EqualTo(3), "the state's count");
            Assert.That(after.Queues - before.Queues, Is.EqualTo(state is EnqueuedState ? 1 : 0), "queues with jobs");
        });
    }

    private static bool SameSummary(JobSummary a, JobSummary b) =>
        a.DisplayName == b.DisplayName && a.Queue == b.Queue && a.StateName == b.StateName && a.StateReason == b.StateReason
        && a.CreatedAt == b.CreatedAt && a.StateChangedAt == b.StateChangedAt && a.RetryCount == b.RetryCount
        && a.RecurringJobId == b.RecurringJobId && a.StateData.OrderBy(p => p.Key).SequenceEqual(b.StateData.OrderBy(p => p.Key));

    private static string Describe(StateHistoryEntry entry) =>
        $"{entry.StateName} | {entry.Reason} | {entry.CreatedAt:O} | {string.Join(", ", entry.Data.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value))}";

    private static long Count(JobStatistics statistics, string state) => state switch
    {
        EnqueuedState.StateName => statistics.Enqueued,
        ScheduledState.StateName => statistics.Scheduled,
        DeletedState.StateName => statistics.Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "No count for this state in the test."),
    };

    [Test]
    public async Task CreateJobsAsync_ReturnsIdsInOrderGiven_WhenManyJobsAreCreated()
    {
        var jobs = Enumerable.Range(1, 5)
            .Select(i => new NewJob(ContractSampleJob.Run(i), "default", new EnqueuedState()))
            .ToList();

        var ids = await Storage.CreateJobsAsync(jobs, default);

        Assert.That(ids, Has.Count.EqualTo(5));
        for (var i = 0; i < ids.Count; i++)
        {
            var job = await GetAsync(ids[i]);
            Assert.That(job.Invocation.Arguments, Is.EqualTo(jobs[i].Invocation.Arguments));
        }

        Assert.That(ids.Select(id => long.Parse(id, CultureInfo.InvariantCulture)), Is.Ordered.Ascending);
    }

    [TestCase("999999999")]
    [TestCase("abc")]
    [TestCase("")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("99999999999999999999999")]
    public async Task GetJobAsync_ReturnsNull_WhenIdIsUnknownOrMalformed(string id)
    {
        await EnqueueAsync();

        Assert.That(await Storage.GetJobAsync(id, default), Is.Null);
    }

    [Test]
    public async Task FetchNextAsync_MarksJobProcessingByServer_WhenJobIsEnqueued()
    {
        var invocation = ContractSampleJob.Run(7);
        var id = await Storage.CreateJobAsync(new NewJob(invocation, "default", new EnqueuedState()), default);

        var fetched = await FetchAsync("server-1", 5, "default");
        var job = await GetAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(fetched, Has.Count.EqualTo(1));
            Assert.That(fetched[0].Id, Is.EqualTo(id));
            Assert.That(fetched[0].Queue, Is.EqualTo("default"));
            Assert.That(fetched[0].Invocation.Arguments, Is.EqualTo(invocation.Arguments));
            Assert.That(fetched[0].RetryCount, Is.Zero);
            Assert.That(fetched[0].RecurringJobId, Is.Null);
            Assert.That(fetched[0].EnqueuedAt, Is.GreaterThanOrEqualTo(fetched[0].CreatedAt.AddSeconds(-1)));
            Assert.That(job.StateName, Is.EqualTo(ProcessingState.StateName));
            Assert.That(job.ServerId, Is.EqualTo("server-1"));
        });
    }

    [Test]
    public async Task FetchNextAsync_ReturnsEmpty_WhenQueuesHaveNoEnqueuedJobs()
    {
        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new ScheduledState(Time.GetUtcNow().AddHours(1))), default);
        await EnqueueAsync("other");

        var fetched = await FetchAsync("server-1", 5, "default", "empty");

        Assert.That(fetched, Is.Empty);
    }

    [Test]
    public async Task FetchNextAsync_TakesEarlierQueuesFirstAndOldestFirst_WhenSeveralQueuesHaveJobs()
    {
        var low1 = await EnqueueAsync("low");
        var critical1 = await EnqueueAsync("critical");
        var low2 = await EnqueueAsync("low");
        var critical2 = await EnqueueAsync("critical");

        var fetched = await FetchAsync("server-1", 3, "critical", "low");
        var rest = await FetchAsync("server-1", 3, "critical", "low");

        Assert.That(fetched.Select(f => f.Id), Is.EqualTo(new[] { critical1, critical2, low1 }));
        Assert.That(rest.Select(f => f.Id), Is.EqualTo(new[] { low2 }));
    }

    [Test]
    public async Task FetchNextAsync_NeverHandsAJobToTwoFetchers_WhenFetchersRunInParallel()
    {
        var ids = await Storage.CreateJobsAsync(
            Enumerable.Range(0, 200).Select(i => new NewJob(ContractSampleJob.Run(i), "default", new EnqueuedState())).ToList(),
            default);
        var taken = new ConcurrentBag<(string Server, string Id)>();

        var fetchers = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var server = $"server-{n}";
            while (true)
            {
                var batch = await FetchAsync(server, 3, "default");
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var job in batch)
                {
                    taken.Add((server, job.Id));
                }
            }
        }));
        await Task.WhenAll(fetchers);

        Assert.That(taken.Select(t => t.Id), Is.Unique);
        Assert.That(taken.Select(t => t.Id), Is.EquivalentTo(ids));
        foreach (var (server, id) in taken)
        {
            Assert.That((await GetAsync(id)).ServerId, Is.EqualTo(server));
        }
    }

    // ---- state changes ------------------------------------------------------------------------

    [Test]
    public async Task ChangeStatesAsync_StoresFinalStateWithHistory_WhenServerCompletesItsJob()
    {
        var id = await EnqueueAsync();
        await FetchAsync("server-1", 1, "default");
        Time.Advance(TimeSpan.FromSeconds(3));

        var applied = await Storage.ChangeStatesAsync(
            [new StateChange(id, new SucceededState("\"done\"", TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(2), "All good"))
            {
                ExpectedStates = [ProcessingState.StateName],
                ExpectedServerId = "server-1",
            }],
            default);
        var details = await DetailsAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(applied, Is.EqualTo(new[] { true }));
            Assert.That(details.Summary.StateName, Is.EqualTo(SucceededState.StateName));
            Assert.That(details.Summary.StateReason, Is.EqualTo("All good"));
            Assert.That(details.Summary.StateData["Result"], Is.EqualTo("\"done\""));
            Assert.That(details.ServerId, Is.Null);
            Assert.That(details.History.Select(h => h.StateName), Is.EqualTo(new[] { SucceededState.StateName, ProcessingState.StateName, EnqueuedState.StateName }));
            Assert.That(details.History[0].Reason, Is.EqualTo("All good"));
            Assert.That(details.History[0].Data["PerformanceDuration"], Is.EqualTo("2000"));
            Assert.That(details.History[1].Data["ServerId"], Is.EqualTo("server-1"));
            Assert.That(details.History.Select(h => h.CreatedAt), Is.Ordered.Descending);
        });
    }

    [Test]
    public async Task ChangeStatesAsync_ReturnsFalse_WhenAnotherChangeWonTheRace()
    {
        var id = await EnqueueAsync();

        var first = await Storage.ChangeStatesAsync([new StateChange(id, new DeletedState("By user")) { ExpectedStates = [EnqueuedState.StateName] }], default);
        var second = await Storage.ChangeStatesAsync([new StateChange(id, new ProcessingState("server-1")) { ExpectedStates = [EnqueuedState.StateName] }], default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first, Is.EqualTo(new[] { true }));
            Assert.That(second, Is.EqualTo(new[] { false }));
            Assert.That((await GetAsync(id)).StateName, Is.EqualTo(DeletedState.StateName));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_ReturnsFalse_WhenExpectedServerDoesNotHoldTheJob()
    {
        var id = await EnqueueAsync();
        await FetchAsync("server-1", 1, "default");

        var applied = await Storage.ChangeStatesAsync(
            [new StateChange(id, new SucceededState(null, TimeSpan.Zero, TimeSpan.Zero)) { ExpectedStates = [ProcessingState.StateName], ExpectedServerId = "server-2" }],
            default);

        Assert.That(applied, Is.EqualTo(new[] { false }));
        Assert.That((await GetAsync(id)).StateName, Is.EqualTo(ProcessingState.StateName));
    }

    [Test]
    public async Task ChangeStatesAsync_ReturnsFalsePerChange_WhenJobsDoNotExistOrIdsAreMalformed()
    {
        var id = await EnqueueAsync();

        var applied = await Storage.ChangeStatesAsync(
            [
                new StateChange("999999999", new DeletedState()),
                new StateChange(id, new DeletedState()),
                new StateChange("not-an-id", new DeletedState()),
                new StateChange(string.Empty, new DeletedState()),
            ],
            default);

        Assert.That(applied, Is.EqualTo(new[] { false, true, false, false }));
    }

    [Test]
    public async Task ChangeStatesAsync_AppliesFromAnyState_WhenExpectedStatesIsNull()
    {
        var id = await EnqueueAsync();
        await FetchAsync("server-1", 1, "default");

        var applied = await Storage.ChangeStatesAsync([new StateChange(id, new DeletedState())], default);

        Assert.That(applied, Is.EqualTo(new[] { true }));
        Assert.That((await GetAsync(id)).StateName, Is.EqualTo(DeletedState.StateName));
    }

    [Test]
    public async Task ChangeStatesAsync_StoresRetryCount_WhenChangeCarriesOne()
    {
        var id = await EnqueueAsync();
        await FetchAsync("server-1", 1, "default");

        await Storage.ChangeStatesAsync(
            [new StateChange(id, new ScheduledState(Time.GetUtcNow().AddSeconds(30), "Retry attempt 1 of 10")) { RetryCount = 1 }],
            default);
        await Storage.EnqueueDueScheduledJobsAsync(Time.GetUtcNow().AddMinutes(1), 10, default);
        var fetched = await FetchAsync("server-1", 1, "default");

        Assert.That((await GetAsync(id)).RetryCount, Is.EqualTo(1));
        Assert.That(fetched.Single().RetryCount, Is.EqualTo(1));
    }

    [Test]
    public async Task ChangeStatesAsync_KeepsJobsOwnQueue_WhenEnqueuedStateNamesNoQueue()
    {
        var id = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "emails", new ScheduledState(Time.GetUtcNow().AddHours(1))), default);

        await Storage.ChangeStatesAsync([new StateChange(id, new EnqueuedState(reason: "Triggered"))], default);
        var fetched = await FetchAsync("server-1", 5, "default", "emails");

        Assert.That(fetched.Single().Id, Is.EqualTo(id));
        Assert.That(fetched.Single().Queue, Is.EqualTo("emails"));
    }

    [Test]
    public async Task ChangeStatesAsync_PutsJobInNamedQueue_WhenEnqueuedStateNamesOne()
    {
        var id = await EnqueueAsync("default");

        await Storage.ChangeStatesAsync([new StateChange(id, new EnqueuedState("critical"))], default);
        var fromDefault = await FetchAsync("server-1", 5, "default");
        var fromCritical = await FetchAsync("server-1", 5, "critical");

        Assert.That(fromDefault, Is.Empty);
        Assert.That(fromCritical.Single().Id, Is.EqualTo(id));
    }

    [Test]
    public async Task ChangeStatesAsync_StoresExceptionData_WhenJobFails()
    {
        var id = await EnqueueAsync();
        await FetchAsync("server-1", 1, "default");

        await Storage.ChangeStatesAsync(
            [new StateChange(id, new FailedState(new InvalidOperationException("Disk is full"), "Gave up")) { ExpectedServerId = "server-1" }],
            default);
        var details = await DetailsAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(details.Summary.StateName, Is.EqualTo(FailedState.StateName));
            Assert.That(details.Summary.StateData["ExceptionMessage"], Is.EqualTo("Disk is full"));
            Assert.That(details.Summary.StateData["ExceptionType"], Is.EqualTo(typeof(InvalidOperationException).FullName));
            Assert.That(details.ExpireAt, Is.Null);
        });
    }

    [Test]
    public async Task ChangeStatesAsync_AppliesEachChangeOnItsOwn_WhenBatchMixesWinnersAndLosers()
    {
        var a = await EnqueueAsync();
        var b = await EnqueueAsync();

        var applied = await Storage.ChangeStatesAsync(
            [
                new StateChange(a, new DeletedState()) { ExpectedStates = [EnqueuedState.StateName] },
                new StateChange(b, new DeletedState()) { ExpectedStates = [ProcessingState.StateName] },
            ],
            default);

        Assert.That(applied, Is.EqualTo(new[] { true, false }));
        Assert.That((await GetAsync(a)).StateName, Is.EqualTo(DeletedState.StateName));
        Assert.That((await GetAsync(b)).StateName, Is.EqualTo(EnqueuedState.StateName));
    }

    // ---- scheduled ----------------------------------------------------------------------------

    [Test]
    public async Task EnqueueDueScheduledJobsAsync_EnqueuesOnlyDueJobs_WhenSomeAreNotDueYet()
    {
        var now = Time.GetUtcNow();
        var due = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "emails", new ScheduledState(now.AddMinutes(1))), default);
        var later = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "emails", new ScheduledState(now.AddHours(1))), default);

        var before = await Storage.EnqueueDueScheduledJobsAsync(now, 10, default);
        var moved = await Storage.EnqueueDueScheduledJobsAsync(now.AddMinutes(2), 10, default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(before, Is.Zero);
            Assert.That(moved, Is.EqualTo(1));
            Assert.That((await GetAsync(due)).StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await GetAsync(due)).Queue, Is.EqualTo("emails"));
            Assert.That((await GetAsync(later)).StateName, Is.EqualTo(ScheduledState.StateName));
        });
    }

    [Test]
    public async Task EnqueueDueScheduledJobsAsync_MovesAtMostBatchSize_WhenManyAreDue()
    {
        var now = Time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(i), "default", new ScheduledState(now.AddSeconds(i))), default);
        }

        var first = await Storage.EnqueueDueScheduledJobsAsync(now.AddMinutes(1), 3, default);
        var second = await Storage.EnqueueDueScheduledJobsAsync(now.AddMinutes(1), 3, default);
        var third = await Storage.EnqueueDueScheduledJobsAsync(now.AddMinutes(1), 3, default);

        Assert.That(new[] { first, second, third }, Is.EqualTo(new[] { 3, 2, 0 }));
        Assert.That(await FetchAsync("server-1", 10, "default"), Has.Count.EqualTo(5));
    }

    // ---- continuations ------------------------------------------------------------------------

    [Test]
    public async Task CreateJobAsync_WritesAwaiting_WhenParentHasNotFinished()
    {
        var parent = await EnqueueAsync();

        var child = await ContinueAsync(parent);

        Assert.That((await GetAsync(child)).StateName, Is.EqualTo(AwaitingState.StateName));
        Assert.That(await FetchAsync("server-1", 10, "default"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ChangeStatesAsync_EnqueuesEveryContinuation_WhenParentSucceeds()
    {
        var parent = await EnqueueAsync();
        var onSuccess = await ContinueAsync(parent, JobContinuationOptions.OnlyOnSucceededState, "emails");
        var onAny = await ContinueAsync(parent, JobContinuationOptions.OnAnyFinishedState);

        await SucceedAsync(parent);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await GetAsync(onSuccess)).StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await GetAsync(onSuccess)).Queue, Is.EqualTo("emails"));
            Assert.That((await GetAsync(onAny)).StateName, Is.EqualTo(EnqueuedState.StateName));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_EnqueuesOnAnyAndDeletesOnlyOnSuccess_WhenParentIsDeleted()
    {
        var parent = await EnqueueAsync();
        var onSuccess = await ContinueAsync(parent, JobContinuationOptions.OnlyOnSucceededState);
        var onAny = await ContinueAsync(parent, JobContinuationOptions.OnAnyFinishedState);

        await Storage.ChangeStatesAsync([new StateChange(parent, new DeletedState())], default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await GetAsync(onSuccess)).StateName, Is.EqualTo(DeletedState.StateName));
            Assert.That((await GetAsync(onAny)).StateName, Is.EqualTo(EnqueuedState.StateName));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_LeavesContinuationsAwaiting_WhenParentFails()
    {
        var parent = await EnqueueAsync();
        var child = await ContinueAsync(parent, JobContinuationOptions.OnAnyFinishedState);

        await Storage.ChangeStatesAsync([new StateChange(parent, new FailedState(new InvalidOperationException("boom")))], default);

        Assert.That((await GetAsync(child)).StateName, Is.EqualTo(AwaitingState.StateName));
    }

    [Test]
    public async Task ChangeStatesAsync_DeletesWholeChain_WhenFirstParentIsDeleted()
    {
        var first = await EnqueueAsync();
        var second = await ContinueAsync(first);
        var third = await ContinueAsync(second);
        var thirdOnAny = await ContinueAsync(second, JobContinuationOptions.OnAnyFinishedState);

        await Storage.ChangeStatesAsync([new StateChange(first, new DeletedState())], default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await GetAsync(second)).StateName, Is.EqualTo(DeletedState.StateName));
            Assert.That((await GetAsync(third)).StateName, Is.EqualTo(DeletedState.StateName));
            Assert.That((await GetAsync(thirdOnAny)).StateName, Is.EqualTo(EnqueuedState.StateName));
        });
    }

    [Test]
    public async Task ChangeStatesAsync_EnqueuesOnlyNextLink_WhenFirstParentOfChainSucceeds()
    {
        var first = await EnqueueAsync();
        var second = await ContinueAsync(first);
        var third = await ContinueAsync(second);

        await SucceedAsync(first);

        Assert.That((await GetAsync(second)).StateName, Is.EqualTo(EnqueuedState.StateName));
        Assert.That((await GetAsync(third)).StateName, Is.EqualTo(AwaitingState.StateName));
    }

    [Test]
    public async Task CreateJobAsync_EnqueuesContinuationAtOnce_WhenParentAlreadySucceeded()
    {
        var parent = await EnqueueAsync();
        await SucceedAsync(parent);

        var child = await ContinueAsync(parent, JobContinuationOptions.OnlyOnSucceededState, "emails");
        var fetched = await FetchAsync("server-1", 5, "emails");

        Assert.That((await GetAsync(child)).Queue, Is.EqualTo("emails"));
        Assert.That(fetched.Single().Id, Is.EqualTo(child));
    }

    [Test]
    public async Task CreateJobAsync_WritesNextStateAtOnce_WhenParentAlreadyDeleted()
    {
        var parent = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(parent, new DeletedState())], default);

        var onSuccess = await ContinueAsync(parent, JobContinuationOptions.OnlyOnSucceededState);
        var onAny = await ContinueAsync(parent, JobContinuationOptions.OnAnyFinishedState);

        Assert.That((await GetAsync(onSuccess)).StateName, Is.EqualTo(DeletedState.StateName));
        Assert.That((await GetAsync(onAny)).StateName, Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task CreateJobAsync_WritesAwaiting_WhenParentFailed()
    {
        var parent = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(parent, new FailedState(new InvalidOperationException("boom")))], default);

        var child = await ContinueAsync(parent, JobContinuationOptions.OnAnyFinishedState);

        Assert.That((await GetAsync(child)).StateName, Is.EqualTo(AwaitingState.StateName));
    }

    [TestCase("999999999")]
    [TestCase("not-a-number")]
    public async Task CreateJobAsync_ThrowsArgumentExceptionNamingParent_WhenParentDoesNotExist(string parentId)
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => ContinueAsync(parentId));

        Assert.That(ex!.Message, Does.Contain(parentId));
        Assert.That((await Monitoring.GetStatisticsAsync(default)).Awaiting, Is.Zero);
    }

    [Test]
    public async Task CreateJobsAsync_WritesNothingAndNamesParent_WhenOneContinuationsParentDoesNotExist()
    {
        var parent = await EnqueueAsync();
        var jobs = new[]
        {
            new NewJob(ContractSampleJob.Run(1), "default", new EnqueuedState()),
            new NewJob(ContractSampleJob.Run(2), "default", new AwaitingState(parent)),
            new NewJob(ContractSampleJob.Run(3), "default", new AwaitingState("888888888")),
        };

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Storage.CreateJobsAsync(jobs, default));

        Assert.That(ex!.Message, Does.Contain("888888888"));
        Assert.That(await Monitoring.GetStatisticsAsync(default), Is.EqualTo(new JobStatistics(
            Enqueued: 1, Scheduled: 0, Awaiting: 0, Processing: 0, Succeeded: 0, Failed: 0, Deleted: 0,
            Retries: 0, Servers: 0, RecurringJobs: 0, Queues: 1)));
    }

    [TestCase("")]
    [TestCase("Upper")]
    [TestCase("with space")]
    public async Task CreateJobAsync_ThrowsArgumentException_WhenQueueNameIsInvalid(string queue)
    {
        Assert.ThrowsAsync<ArgumentException>(() => Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), queue, new EnqueuedState()), default));

        Assert.That((await Monitoring.GetStatisticsAsync(default)).Enqueued, Is.Zero);
    }

    [Test]
    public async Task ChangeStatesAsync_ThrowsArgumentExceptionNamingParent_WhenAwaitingParentDoesNotExist()
    {
        var id = await EnqueueAsync();

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Storage.ChangeStatesAsync([new StateChange(id, new AwaitingState("777777777"))], default));

        Assert.That(ex!.Message, Does.Contain("777777777"));
        Assert.That((await GetAsync(id)).StateName, Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task ChangeStatesAsync_MovesContinuationOnAtOnce_WhenAwaitingParentAlreadyFinished()
    {
        var succeeded = await EnqueueAsync();
        await SucceedAsync(succeeded);
        var running = await EnqueueAsync("reports");
        await FetchAsync("server-1", 1, "reports");
        var afterSucceeded = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "emails", new ScheduledState(Time.GetUtcNow().AddHours(1))), default);
        var afterRunning = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "emails", new ScheduledState(Time.GetUtcNow().AddHours(1))), default);

        var applied = await Storage.ChangeStatesAsync(
            [
                new StateChange(afterSucceeded, new AwaitingState(succeeded)) { ExpectedStates = [ScheduledState.StateName] },
                new StateChange(afterRunning, new AwaitingState(running)) { ExpectedStates = [ScheduledState.StateName] },
            ],
            default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(applied, Is.EqualTo(new[] { true, true }));
            Assert.That((await GetAsync(afterSucceeded)).StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await GetAsync(afterSucceeded)).Queue, Is.EqualTo("emails"));
            Assert.That((await GetAsync(afterRunning)).StateName, Is.EqualTo(AwaitingState.StateName));
            Assert.That((await DetailsAsync(running)).ContinuationIds, Is.EqualTo(new[] { afterRunning }));
        });
    }

    // ---- waiting for jobs ---------------------------------------------------------------------

    [Test]
    public async Task WaitForJobsAsync_ReturnsEveryTime_WhenQueueAlreadyHoldsAJob()
    {
        await EnqueueAsync("emails");

        // The clock never moves and nothing is enqueued meanwhile, so only the job already waiting can end these
        // waits; several in a row, so a storage's one-off wake-up (a listener that has just connected) cannot.
        for (var i = 0; i < 3; i++)
        {
            await AssertCompletesAsync(Storage.WaitForJobsAsync(["default", "emails"], TimeSpan.FromHours(1), default));
        }
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenJobIsEnqueuedInOneOfTheQueues()
    {
        var wait = Storage.WaitForJobsAsync(["default", "emails"], TimeSpan.FromHours(1), default);

        await EnqueueAsync("emails");

        await AssertCompletesAsync(wait);
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenScheduledJobBecomesDue()
    {
        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new ScheduledState(Time.GetUtcNow().AddMinutes(1))), default);
        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.FromHours(1), default);

        await Storage.EnqueueDueScheduledJobsAsync(Time.GetUtcNow().AddMinutes(2), 10, default);

        await AssertCompletesAsync(wait);
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenContinuationIsEnqueuedByItsParent()
    {
        var parent = await EnqueueAsync();
        await ContinueAsync(parent, JobContinuationOptions.OnlyOnSucceededState, "emails");
        await FetchAsync("server-1", 1, "default");
        var wait = Storage.WaitForJobsAsync(["emails"], TimeSpan.FromHours(1), default);

        await SucceedAsync(parent);

        await AssertCompletesAsync(wait);
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenRemovedServersJobsAreRequeued()
    {
        await EnqueueAsync();
        await FetchAsync("server-1", 1, "default");
        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.FromHours(1), default);

        await Storage.RemoveServerAsync("server-1", "Stopped", default);

        await AssertCompletesAsync(wait);
    }

    [Test]
    public async Task WaitForJobsAsync_Returns_WhenTimeoutPasses()
    {
        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.FromMilliseconds(200), default);

        await AdvanceClockUntilDoneAsync(wait);

        await AssertCompletesAsync(wait);
    }

    [Test]
    public void WaitForJobsAsync_Throws_WhenCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.FromHours(1), cancellation.Token);

        cancellation.Cancel();

        Assert.That(async () => await wait.WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task DisposeAsync_WakesWaitingServers_WhenStorageShutsDown()
    {
        var wait = Storage.WaitForJobsAsync(["default"], TimeSpan.FromHours(1), default);

        await Storage.DisposeAsync();

        await AssertCompletesAsync(wait);
    }

    // ---- servers ------------------------------------------------------------------------------

    [Test]
    public async Task AnnounceServerAsync_ListsServer_WhenServerStarts()
    {
        var startedAt = Time.GetUtcNow();

        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 4, ["critical", "default"], startedAt), default);
        var servers = await Monitoring.GetServersAsync(default);

        Assert.That(servers, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(servers[0].Id, Is.EqualTo("server-1"));
            Assert.That(servers[0].WorkerCount, Is.EqualTo(4));
            Assert.That(servers[0].Queues, Is.EqualTo(new[] { "critical", "default" }));
            Assert.That(servers[0].StartedAt, Is.EqualTo(startedAt));
        });
    }

    [Test]
    public async Task AnnounceServerAsync_RefreshesRegistration_WhenServerAnnouncesAgain()
    {
        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 4, ["default"], Time.GetUtcNow()), default);

        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 8, ["default", "emails"], Time.GetUtcNow()), default);
        var servers = await Monitoring.GetServersAsync(default);

        Assert.That(servers.Single().WorkerCount, Is.EqualTo(8));
        Assert.That(servers.Single().Queues, Is.EqualTo(new[] { "default", "emails" }));
    }

    [Test]
    public async Task HeartbeatAsync_RecordsHeartbeat_WhenServerIsRegistered()
    {
        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 1, ["default"], Time.GetUtcNow()), default);
        var beat = Time.GetUtcNow().AddMinutes(5);

        var alive = await Storage.HeartbeatAsync("server-1", beat, default);

        Assert.That(alive, Is.True);
        Assert.That((await Monitoring.GetServersAsync(default)).Single().LastHeartbeat, Is.EqualTo(beat));
    }

    [Test]
    public async Task HeartbeatAsync_ReturnsFalse_WhenServerIsNotRegistered()
    {
        Assert.That(await Storage.HeartbeatAsync("ghost", Time.GetUtcNow(), default), Is.False);
    }

    [Test]
    public async Task RemoveServerAsync_RequeuesOnlyJobsItHeld_WhenServerStops()
    {
        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 2, ["default"], Time.GetUtcNow()), default);
        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-2", 2, ["default"], Time.GetUtcNow()), default);
        var a = await EnqueueAsync("emails");
        var b = await EnqueueAsync();
        var c = await EnqueueAsync();
        await FetchAsync("server-1", 1, "emails");
        await FetchAsync("server-1", 1, "default");
        await FetchAsync("server-2", 1, "default");

        var requeued = await Storage.RemoveServerAsync("server-1", "Shut down", default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(requeued, Is.EqualTo(2));
            Assert.That((await GetAsync(a)).StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await GetAsync(b)).StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await GetAsync(c)).ServerId, Is.EqualTo("server-2"));
            Assert.That((await Monitoring.GetServersAsync(default)).Select(s => s.Id), Is.EqualTo(new[] { "server-2" }));
            Assert.That(await Storage.HeartbeatAsync("server-1", Time.GetUtcNow(), default), Is.False);
            Assert.That((await FetchAsync("server-2", 5, "emails")).Single().Id, Is.EqualTo(a));
        });
    }

    [Test]
    public async Task RemoveTimedOutServersAsync_RemovesSilentServersAndRequeuesTheirJobs_WhenHeartbeatIsTooOld()
    {
        var start = Time.GetUtcNow();
        await Storage.AnnounceServerAsync(new ServerAnnouncement("alive", 1, ["default"], start), default);
        await Storage.AnnounceServerAsync(new ServerAnnouncement("silent", 1, ["default"], start), default);
        await Storage.HeartbeatAsync("silent", start, default);
        await Storage.HeartbeatAsync("alive", start.AddSeconds(60), default);
        var held = await EnqueueAsync();
        await FetchAsync("silent", 1, "default");

        var removed = await Storage.RemoveTimedOutServersAsync(start.AddSeconds(30), default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(removed, Is.EqualTo(new[] { "silent" }));
            Assert.That((await Monitoring.GetServersAsync(default)).Select(s => s.Id), Is.EqualTo(new[] { "alive" }));
            Assert.That((await GetAsync(held)).StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That((await GetAsync(held)).ServerId, Is.Null);
        });
    }

    [Test]
    public async Task GetJobsNoLongerHeldAsync_ReturnsJobsNotProcessingByServer_WhenSomeWereTakenAway()
    {
        var held = await EnqueueAsync();
        var deleted = await EnqueueAsync();
        var requeued = await EnqueueAsync();
        var other = await EnqueueAsync();
        await FetchAsync("server-1", 3, "default");
        await FetchAsync("server-2", 1, "default");
        await Storage.ChangeStatesAsync([new StateChange(deleted, new DeletedState("By user"))], default);
        await Storage.ChangeStatesAsync([new StateChange(requeued, new EnqueuedState())], default);

        var gone = await Storage.GetJobsNoLongerHeldAsync("server-1", [held, deleted, requeued, other, "999999999", "junk"], default);

        Assert.That(gone, Is.EquivalentTo(new[] { deleted, requeued, other, "999999999", "junk" }));
    }

    // ---- locks --------------------------------------------------------------------------------

    [Test]
    public async Task AcquireLockAsync_ThrowsDistributedLockTimeoutException_WhenLockIsHeldPastTimeout()
    {
        await using var held = await Storage.AcquireLockAsync("recurring-scheduler", TimeSpan.FromSeconds(5), default);

        var second = Storage.AcquireLockAsync("recurring-scheduler", TimeSpan.FromMilliseconds(200), default);
        await AdvanceClockUntilDoneAsync(second);

        Assert.That(async () => await second.WaitAsync(Patience), Throws.TypeOf<DistributedLockTimeoutException>());
    }

    [Test]
    public async Task AcquireLockAsync_GrantsLock_WhenHolderReleasesIt()
    {
        var first = await Storage.AcquireLockAsync("resource", TimeSpan.FromSeconds(5), default);
        var second = Storage.AcquireLockAsync("resource", TimeSpan.FromHours(1), default);

        await first.DisposeAsync();
        await AdvanceClockUntilDoneAsync(second);

        await using var granted = await second.WaitAsync(Patience);
        Assert.That(granted, Is.Not.Null);
    }

    [Test]
    public async Task AcquireLockAsync_GrantsLockAgain_WhenReleasedLockIsTakenLater()
    {
        var first = await Storage.AcquireLockAsync("resource", TimeSpan.FromSeconds(5), default);
        await first.DisposeAsync();
        await first.DisposeAsync();

        await using var again = await Storage.AcquireLockAsync("resource", TimeSpan.Zero, default);

        Assert.That(again, Is.Not.Null);
    }

    [Test]
    public async Task AcquireLockAsync_DoesNotWait_WhenResourcesDiffer()
    {
        await using var a = await Storage.AcquireLockAsync("a", TimeSpan.FromSeconds(5), default);

        await using var b = await Storage.AcquireLockAsync("b", TimeSpan.FromSeconds(5), default).WaitAsync(Patience);

        Assert.That(b, Is.Not.Null);
    }

    [Test]
    public async Task AcquireLockAsync_LetsOneHolderInAtATime_WhenManyTasksCompete()
    {
        var inside = 0;
        var maxInside = 0;
        var entered = 0;

        var tasks = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await using var handle = await Storage.AcquireLockAsync("counter", TimeSpan.FromHours(1), default);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Yield();
            Interlocked.Increment(ref entered);
            Interlocked.Decrement(ref inside);
        })).ToList();
        var all = Task.WhenAll(tasks);
        await AdvanceClockUntilDoneAsync(all);
        await all.WaitAsync(Patience);

        Assert.That(entered, Is.EqualTo(10));
        Assert.That(maxInside, Is.EqualTo(1));
    }

    // ---- expiration and counters --------------------------------------------------------------

    [Test]
    public async Task DeleteExpiredJobsAsync_DeletesSucceededAndDeletedButKeepsFailed_WhenRetentionHasPassed()
    {
        var succeeded = await EnqueueAsync();
        var deleted = await EnqueueAsync();
        var failed = await EnqueueAsync();
        await SucceedAsync(succeeded);
        await Storage.ChangeStatesAsync([new StateChange(deleted, new DeletedState())], default);
        await Storage.ChangeStatesAsync([new StateChange(failed, new FailedState(new InvalidOperationException("boom")))], default);

        var early = await Storage.DeleteExpiredJobsAsync(Time.GetUtcNow(), 100, default);
        var expireAt = (await DetailsAsync(succeeded)).ExpireAt;
        var late = await Storage.DeleteExpiredJobsAsync(Time.GetUtcNow().AddDays(3650), 100, default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(early, Is.Zero);
            Assert.That(expireAt, Is.Not.Null);
            Assert.That(late, Is.EqualTo(2));
            Assert.That(await Storage.GetJobAsync(succeeded, default), Is.Null);
            Assert.That(await Storage.GetJobAsync(deleted, default), Is.Null);
            Assert.That(await Monitoring.GetJobDetailsAsync(succeeded, default), Is.Null);
            Assert.That((await GetAsync(failed)).StateName, Is.EqualTo(FailedState.StateName));
        });
    }

    [Test]
    public async Task DeleteExpiredJobsAsync_DeletesInBatches_WhenManyJobsExpired()
    {
        for (var i = 0; i < 5; i++)
        {
            await SucceedAsync(await EnqueueAsync());
        }

        var far = Time.GetUtcNow().AddDays(3650);
        var batches = new[]
        {
            await Storage.DeleteExpiredJobsAsync(far, 2, default),
            await Storage.DeleteExpiredJobsAsync(far, 2, default),
            await Storage.DeleteExpiredJobsAsync(far, 2, default),
            await Storage.DeleteExpiredJobsAsync(far, 2, default),
        };

        Assert.That(batches, Is.EqualTo(new[] { 2, 2, 1, 0 }));
        Assert.That((await Monitoring.GetStatisticsAsync(default)).Succeeded, Is.Zero);
    }

    [Test]
    public async Task DeleteExpiredJobsAsync_KeepsJob_WhenItLeftItsFinalState()
    {
        var id = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(id, new DeletedState())], default);
        await Storage.ChangeStatesAsync([new StateChange(id, new EnqueuedState(reason: "Requeued from the dashboard"))], default);

        var deleted = await Storage.DeleteExpiredJobsAsync(Time.GetUtcNow().AddDays(3650), 100, default);

        Assert.That(deleted, Is.Zero);
        Assert.That((await DetailsAsync(id)).ExpireAt, Is.Null);
    }

    [Test]
    public async Task DeleteExpiredJobsAsync_KeepsHourlyAndDailyCounts_WhenJobsExpire()
    {
        await SucceedAsync(await EnqueueAsync());
        await SucceedAsync(await EnqueueAsync());
        var failed = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(failed, new FailedState(new InvalidOperationException("boom")))], default);

        await Storage.DeleteExpiredJobsAsync(Time.GetUtcNow().AddDays(3650), 100, default);
        var now = Time.GetUtcNow();
        var hourly = await Monitoring.GetHourlyTimelineAsync(now.AddHours(1), 3, default);
        var daily = await Monitoring.GetDailyTimelineAsync(now.AddDays(1), 3, default);

        Assert.Multiple(() =>
        {
            Assert.That(hourly.Sum(p => p.Succeeded), Is.EqualTo(2));
            Assert.That(hourly.Sum(p => p.Failed), Is.EqualTo(1));
            Assert.That(daily.Sum(p => p.Succeeded), Is.EqualTo(2));
            Assert.That(daily.Sum(p => p.Failed), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetHourlyTimelineAsync_ReturnsEveryHourOldestFirst_WhenHoursAreEmpty()
    {
        var until = new DateTimeOffset(2020, 5, 5, 10, 30, 0, TimeSpan.Zero);

        var points = await Monitoring.GetHourlyTimelineAsync(until, 24, default);

        Assert.That(points, Has.Count.EqualTo(24));
        Assert.Multiple(() =>
        {
            Assert.That(points[0].Start, Is.EqualTo(new DateTimeOffset(2020, 5, 4, 11, 0, 0, TimeSpan.Zero)));
            Assert.That(points[^1].Start, Is.EqualTo(new DateTimeOffset(2020, 5, 5, 10, 0, 0, TimeSpan.Zero)));
            Assert.That(points.Zip(points.Skip(1), (a, b) => b.Start - a.Start), Is.All.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(points.Select(p => p.Succeeded + p.Failed), Is.All.Zero);
        });
    }

    [Test]
    public async Task GetDailyTimelineAsync_ReturnsEveryUtcDayOldestFirst_WhenDaysAreEmpty()
    {
        var until = new DateTimeOffset(2020, 5, 5, 1, 30, 0, TimeSpan.FromHours(3));

        var points = await Monitoring.GetDailyTimelineAsync(until, 7, default);

        Assert.That(points, Has.Count.EqualTo(7));
        Assert.Multiple(() =>
        {
            Assert.That(points[0].Start, Is.EqualTo(new DateTimeOffset(2020, 4, 28, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(points[^1].Start, Is.EqualTo(new DateTimeOffset(2020, 5, 4, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(points.Zip(points.Skip(1), (a, b) => b.Start - a.Start), Is.All.EqualTo(TimeSpan.FromDays(1)));
        });
    }

    // ---- recurring jobs -----------------------------------------------------------------------

    [Test]
    public async Task AddOrUpdateRecurringJobAsync_StoresDefinition_WhenRecurringJobIsNew()
    {
        var next = Time.GetUtcNow().AddMinutes(5);

        await Storage.AddOrUpdateRecurringJobAsync(
            Recurring("nightly", "0 3 * * *", next) with { Queue = "reports", Misfire = MisfireHandling.Skip, AllowOverlap = true },
            default);
        var record = await RecurringAsync("nightly");

        Assert.Multiple(() =>
        {
            Assert.That(record.Cron, Is.EqualTo("0 3 * * *"));
            Assert.That(record.TimeZoneId, Is.EqualTo("UTC"));
            Assert.That(record.Queue, Is.EqualTo("reports"));
            Assert.That(record.Misfire, Is.EqualTo(MisfireHandling.Skip));
            Assert.That(record.AllowOverlap, Is.True);
            Assert.That(record.Paused, Is.False);
            Assert.That(record.NextExecution, Is.EqualTo(next));
            Assert.That(record.LastExecution, Is.Null);
            Assert.That(record.LastJobId, Is.Null);
            Assert.That(record.Invocation.Method, Is.EqualTo(nameof(ContractSampleJob.Execute)));
        });
    }

    [Test]
    public async Task AddOrUpdateRecurringJobAsync_KeepsNextExecution_WhenScheduleIsUnchanged()
    {
        var next = Time.GetUtcNow().AddMinutes(5);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);

        await Storage.AddOrUpdateRecurringJobAsync(
            Recurring("nightly", "0 3 * * *", next.AddDays(1)) with { Queue = "reports", Invocation = ContractSampleJob.Report("acme") },
            default);
        var record = await RecurringAsync("nightly");

        Assert.That(record.NextExecution, Is.EqualTo(next));
        Assert.That(record.Queue, Is.EqualTo("reports"));
        Assert.That(record.Invocation.Method, Is.EqualTo(nameof(ContractSampleJob.BuildReport)));
    }

    [TestCase("0 4 * * *", "UTC")]
    [TestCase("0 3 * * *", "Europe/Paris")]
    public async Task AddOrUpdateRecurringJobAsync_ReplacesNextExecution_WhenCronOrTimeZoneChanged(string cron, string timeZone)
    {
        var next = Time.GetUtcNow().AddMinutes(5);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);

        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", cron, next.AddHours(1)) with { TimeZoneId = timeZone }, default);

        Assert.That((await RecurringAsync("nightly")).NextExecution, Is.EqualTo(next.AddHours(1)));
    }

    [Test]
    public async Task AddOrUpdateRecurringJobAsync_SetsNextExecution_WhenNoneWasSet()
    {
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", null), default);
        var next = Time.GetUtcNow().AddMinutes(5);

        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);

        Assert.That((await RecurringAsync("nightly")).NextExecution, Is.EqualTo(next));
    }

    [Test]
    public async Task AddOrUpdateRecurringJobAsync_KeepsPausedAndLastRun_WhenDefinitionIsUpdated()
    {
        var next = Time.GetUtcNow().AddMinutes(-1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);
        var claim = await Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", next, next.AddDays(1)), default);
        await Storage.SetRecurringJobPausedAsync("nightly", true, null, default);

        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 4 * * *", next.AddHours(2)), default);
        var record = await RecurringAsync("nightly");

        Assert.Multiple(() =>
        {
            Assert.That(record.Paused, Is.True);
            Assert.That(record.LastJobId, Is.EqualTo(claim.JobId));
            Assert.That(record.LastExecution, Is.Not.Null);
            Assert.That(record.Cron, Is.EqualTo("0 4 * * *"));
        });
    }

    [Test]
    public async Task RemoveRecurringJobAsync_RemovesItButKeepsItsJobs_WhenItExists()
    {
        var next = Time.GetUtcNow();
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);
        var claim = await Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", next, next.AddDays(1)), default);

        var removed = await Storage.RemoveRecurringJobAsync("nightly", default);
        var again = await Storage.RemoveRecurringJobAsync("nightly", default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(removed, Is.True);
            Assert.That(again, Is.False);
            Assert.That(await Storage.GetRecurringJobAsync("nightly", default), Is.Null);
            Assert.That(await Monitoring.GetRecurringJobsAsync(default), Is.Empty);
            Assert.That(await Storage.GetJobAsync(claim.JobId!, default), Is.Not.Null);
        });
    }

    [Test]
    public async Task GetRecurringJobAsync_ReturnsNull_WhenItDoesNotExist()
    {
        Assert.That(await Storage.GetRecurringJobAsync("missing", default), Is.Null);
    }

    [Test]
    public async Task SetRecurringJobPausedAsync_StopsAndResumesDueRuns_WhenPausedThenResumed()
    {
        var now = Time.GetUtcNow();
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", now.AddMinutes(-1)), default);

        var paused = await Storage.SetRecurringJobPausedAsync("nightly", true, null, default);
        var dueWhilePaused = await Storage.GetDueRecurringJobsAsync(now, 10, default);
        var resumed = await Storage.SetRecurringJobPausedAsync("nightly", false, now.AddMinutes(10), default);
        var record = await RecurringAsync("nightly");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(paused, Is.True);
            Assert.That(dueWhilePaused, Is.Empty);
            Assert.That(resumed, Is.True);
            Assert.That(record.Paused, Is.False);
            Assert.That(record.NextExecution, Is.EqualTo(now.AddMinutes(10)));
            Assert.That(await Storage.GetDueRecurringJobsAsync(now, 10, default), Is.Empty);
            Assert.That((await Storage.GetDueRecurringJobsAsync(now.AddMinutes(10), 10, default)).Single().Id, Is.EqualTo("nightly"));
        });
    }

    [Test]
    public async Task SetRecurringJobPausedAsync_ReturnsFalse_WhenRecurringJobDoesNotExist()
    {
        Assert.That(await Storage.SetRecurringJobPausedAsync("missing", true, null, default), Is.False);
    }

    [Test]
    public async Task GetDueRecurringJobsAsync_ReturnsOnlyDueUnpausedJobsUpToLimit_WhenSeveralExist()
    {
        var now = Time.GetUtcNow();
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("due-1", "* * * * *", now.AddMinutes(-2)), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("due-2", "* * * * *", now), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("later", "* * * * *", now.AddMinutes(1)), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("never", "* * * * *", null), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("paused", "* * * * *", now.AddMinutes(-5)), default);
        await Storage.SetRecurringJobPausedAsync("paused", true, null, default);

        var due = await Storage.GetDueRecurringJobsAsync(now, 10, default);
        var limited = await Storage.GetDueRecurringJobsAsync(now, 1, default);

        Assert.That(due.Select(r => r.Id), Is.EquivalentTo(new[] { "due-1", "due-2" }));
        Assert.That(limited, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_CreatesJobAndRecordsLastRun_WhenOccurrenceIsClaimed()
    {
        var next = Time.GetUtcNow().AddMinutes(-1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);
        var claimedAt = Time.GetUtcNow();

        var result = await Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", next, next.AddDays(1), claimedAt, queue: "reports"), default);
        var record = await RecurringAsync("nightly");

        Assert.That(result.Outcome, Is.EqualTo(RecurringClaimOutcome.Created));
        var job = await GetAsync(result.JobId!);
        Assert.Multiple(() =>
        {
            Assert.That(job.RecurringJobId, Is.EqualTo("nightly"));
            Assert.That(job.Queue, Is.EqualTo("reports"));
            Assert.That(job.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(record.NextExecution, Is.EqualTo(next.AddDays(1)));
            Assert.That(record.LastJobId, Is.EqualTo(result.JobId));
            Assert.That(record.LastJobState, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(record.LastExecution, Is.EqualTo(claimedAt));
        });
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_CreatesExactlyOneJob_When20ServersClaimTheSameOccurrence()
    {
        var next = Time.GetUtcNow().AddMinutes(-1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", next, next.AddDays(1)), default))));

        Assert.That(results.Count(r => r.Outcome == RecurringClaimOutcome.Created), Is.EqualTo(1));
        Assert.That(results.Count(r => r.Outcome == RecurringClaimOutcome.LostRace), Is.EqualTo(19));
        Assert.That((await Monitoring.GetStatisticsAsync(default)).Enqueued, Is.EqualTo(1));
        Assert.That(await Monitoring.GetRecurringJobRunsAsync("nightly", 10, default), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_ReturnsLostRace_WhenNextExecutionMovedOrJobIsPausedOrMissing()
    {
        var next = Time.GetUtcNow().AddMinutes(-1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", next), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("paused", "0 3 * * *", next), default);
        await Storage.SetRecurringJobPausedAsync("paused", true, null, default);

        var stale = await Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", next.AddMinutes(-1), next.AddDays(1)), default);
        var paused = await Storage.ClaimRecurringOccurrenceAsync(Claim("paused", next, next.AddDays(1)), default);
        var missing = await Storage.ClaimRecurringOccurrenceAsync(Claim("missing", next, next.AddDays(1)), default);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(stale.Outcome, Is.EqualTo(RecurringClaimOutcome.LostRace));
            Assert.That(paused.Outcome, Is.EqualTo(RecurringClaimOutcome.LostRace));
            Assert.That(missing.Outcome, Is.EqualTo(RecurringClaimOutcome.LostRace));
            Assert.That((await RecurringAsync("nightly")).NextExecution, Is.EqualTo(next));
            Assert.That((await Monitoring.GetStatisticsAsync(default)).Enqueued, Is.Zero);
        });
    }

    [TestCase(EnqueuedState.StateName)]
    [TestCase(ProcessingState.StateName)]
    [TestCase(ScheduledState.StateName)]
    public async Task ClaimRecurringOccurrenceAsync_SkipsAndRecordsWhy_WhenPreviousRunIsStillGoing(string previousState)
    {
        var first = Time.GetUtcNow().AddMinutes(-2);
        var second = first.AddMinutes(1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("every-minute", "* * * * *", first), default);
        var run = await Storage.ClaimRecurringOccurrenceAsync(Claim("every-minute", first, second), default);
        if (previousState != EnqueuedState.StateName)
        {
            await FetchAsync("server-1", 1, "default");
        }

        if (previousState == ScheduledState.StateName)
        {
            await Storage.ChangeStatesAsync([new StateChange(run.JobId!, new ScheduledState(Time.GetUtcNow().AddMinutes(1), "Retry attempt 1")) { RetryCount = 1 }], default);
        }

        var claimedAt = Time.GetUtcNow();
        var result = await Storage.ClaimRecurringOccurrenceAsync(Claim("every-minute", second, second.AddMinutes(1), claimedAt), default);
        var record = await RecurringAsync("every-minute");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RecurringClaimOutcome.Skipped));
            Assert.That(result.JobId, Is.Null);
            Assert.That(result.Reason, Is.Not.Null.And.Not.Empty);
            Assert.That(record.LastSkipReason, Is.Not.Null.And.Not.Empty);
            Assert.That(record.LastSkippedAt, Is.EqualTo(claimedAt));
            Assert.That(record.NextExecution, Is.EqualTo(second.AddMinutes(1)));
            Assert.That(record.LastJobId, Is.EqualTo(run.JobId));
            Assert.That(await Monitoring.GetRecurringJobRunsAsync("every-minute", 10, default), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_CreatesJob_WhenPreviousRunHasFinished()
    {
        var first = Time.GetUtcNow().AddMinutes(-2);
        var second = first.AddMinutes(1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("every-minute", "* * * * *", first), default);
        var run = await Storage.ClaimRecurringOccurrenceAsync(Claim("every-minute", first, second), default);
        await SucceedAsync(run.JobId!);

        var result = await Storage.ClaimRecurringOccurrenceAsync(Claim("every-minute", second, second.AddMinutes(1)), default);

        Assert.That(result.Outcome, Is.EqualTo(RecurringClaimOutcome.Created));
        Assert.That((await RecurringAsync("every-minute")).LastJobId, Is.EqualTo(result.JobId));
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_CreatesJob_WhenOverlapIsAllowed()
    {
        var first = Time.GetUtcNow().AddMinutes(-2);
        var second = first.AddMinutes(1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("every-minute", "* * * * *", first) with { AllowOverlap = true }, default);
        await Storage.ClaimRecurringOccurrenceAsync(Claim("every-minute", first, second) with { SkipIfPreviousRunning = false }, default);

        var result = await Storage.ClaimRecurringOccurrenceAsync(Claim("every-minute", second, second.AddMinutes(1)) with { SkipIfPreviousRunning = false }, default);

        Assert.That(result.Outcome, Is.EqualTo(RecurringClaimOutcome.Created));
        Assert.That((await Monitoring.GetStatisticsAsync(default)).Enqueued, Is.EqualTo(2));
    }

    [Test]
    public async Task ClaimRecurringOccurrenceAsync_RecordsSkip_WhenMissedOccurrenceIsSkipped()
    {
        var missed = Time.GetUtcNow().AddHours(-3);
        var following = Time.GetUtcNow().AddHours(1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("hourly", "0 * * * *", missed) with { Misfire = MisfireHandling.Skip }, default);
        var claimedAt = Time.GetUtcNow();

        var result = await Storage.ClaimRecurringOccurrenceAsync(
            new RecurringOccurrenceClaim("hourly", missed, following, claimedAt, Job: null) { SkipReason = "Missed while no server ran" },
            default);
        var record = await RecurringAsync("hourly");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RecurringClaimOutcome.Skipped));
            Assert.That(result.JobId, Is.Null);
            Assert.That(record.LastSkipReason, Is.EqualTo("Missed while no server ran"));
            Assert.That(record.LastSkippedAt, Is.EqualTo(claimedAt));
            Assert.That(record.NextExecution, Is.EqualTo(following));
            Assert.That(record.LastJobId, Is.Null);
            Assert.That((await Monitoring.GetStatisticsAsync(default)).Enqueued, Is.Zero);
        });
    }

    [Test]
    public async Task CreateJobAsync_RecordsLastRunOfRecurringJob_WhenJobHasRecurringJobId()
    {
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", Time.GetUtcNow().AddHours(5)), default);

        var id = await Storage.CreateJobAsync(
            new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState(reason: "Triggered from the dashboard")) { RecurringJobId = "nightly" },
            default);
        var record = await RecurringAsync("nightly");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await GetAsync(id)).RecurringJobId, Is.EqualTo("nightly"));
            Assert.That(record.LastJobId, Is.EqualTo(id));
            Assert.That(record.LastJobState, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(record.LastExecution, Is.Not.Null);
            Assert.That(record.NextExecution, Is.EqualTo(Time.GetUtcNow().AddHours(5)));
        });
    }

    // ---- monitoring ---------------------------------------------------------------------------

    [Test]
    public async Task GetStatisticsAsync_CountsJobsPerStateAndEverythingElse_WhenStorageHoldsAMix()
    {
        var now = Time.GetUtcNow();
        await EnqueueAsync();
        await EnqueueAsync("emails");
        await EnqueueAsync("reports");
        await FetchAsync("server-1", 1, "reports");
        var parent = await EnqueueAsync();
        await ContinueAsync(parent);
        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new ScheduledState(now.AddHours(1))), default);
        var retry = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(retry, new ScheduledState(now.AddMinutes(1))) { RetryCount = 1 }], default);
        await SucceedAsync(await EnqueueAsync());
        var failed = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(failed, new FailedState(new InvalidOperationException("boom")))], default);
        var deleted = await EnqueueAsync();
        await Storage.ChangeStatesAsync([new StateChange(deleted, new DeletedState())], default);
        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 1, ["default", "critical"], now), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", now.AddHours(1)), default);

        var stats = await Monitoring.GetStatisticsAsync(default);

        Assert.That(
            stats,
            Is.EqualTo(new JobStatistics(
                Enqueued: 3, Scheduled: 2, Awaiting: 1, Processing: 1, Succeeded: 1, Failed: 1, Deleted: 1,
                Retries: 1, Servers: 1, RecurringJobs: 1, Queues: 3)));
    }

    [Test]
    public async Task GetJobsAsync_PagesNewestStateChangeFirst_WhenManyJobsShareAState()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await EnqueueAsync());
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        await Storage.ChangeStatesAsync([new StateChange(ids[0], new EnqueuedState(reason: "Requeued"))], default);

        var first = await Monitoring.GetJobsAsync(EnqueuedState.StateName, 0, 2, default);
        var second = await Monitoring.GetJobsAsync(EnqueuedState.StateName, 2, 2, default);
        var last = await Monitoring.GetJobsAsync(EnqueuedState.StateName, 4, 2, default);

        Assert.That(first.Select(j => j.Id), Is.EqualTo(new[] { ids[0], ids[4] }));
        Assert.That(second.Select(j => j.Id), Is.EqualTo(new[] { ids[3], ids[2] }));
        Assert.That(last.Select(j => j.Id), Is.EqualTo(new[] { ids[1] }));
        Assert.That(first[0].StateReason, Is.EqualTo("Requeued"));
    }

    [Test]
    public async Task GetJobsAsync_ReturnsSummaryFields_WhenJobIsListed()
    {
        var id = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "emails", new EnqueuedState(reason: "Created")), default);

        var summary = (await Monitoring.GetJobsAsync(EnqueuedState.StateName, 0, 10, default)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(summary.Id, Is.EqualTo(id));
            Assert.That(summary.DisplayName, Is.EqualTo("ContractSampleJob.Execute"));
            Assert.That(summary.Queue, Is.EqualTo("emails"));
            Assert.That(summary.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(summary.StateReason, Is.EqualTo("Created"));
            Assert.That(summary.RetryCount, Is.Zero);
            Assert.That(summary.RecurringJobId, Is.Null);
            Assert.That(summary.StateChangedAt, Is.GreaterThanOrEqualTo(summary.CreatedAt));
        });
    }

    [Test]
    public async Task GetJobsAsync_ReturnsEmpty_WhenStateIsUnknownOrEmpty()
    {
        await EnqueueAsync();

        Assert.That(await Monitoring.GetJobsAsync("NoSuchState", 0, 10, default), Is.Empty);
        Assert.That(await Monitoring.GetJobsAsync(FailedState.StateName, 0, 10, default), Is.Empty);
    }

    [Test]
    public async Task GetFailedJobsAsync_ListsAndCountsOnlyMatches_WhenFilteredByMethodExceptionAndQueue()
    {
        var execute = await CreateFailedAsync(ContractSampleJob.Run(), "default", new InvalidOperationException("a"));
        var reportTimeout = await CreateFailedAsync(ContractSampleJob.Report("x"), "emails", new TimeoutException("b"));
        var reportInvalid = await CreateFailedAsync(ContractSampleJob.Report("y"), "default", new InvalidOperationException("c"));
        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Report("z"), "default", new EnqueuedState()), default);

        async Task<string[]> Ids(FailedJobFilter filter) => (await Monitoring.GetFailedJobsAsync(filter, 0, 10, default)).Select(j => j.Id).ToArray();

        Assert.Multiple(async () =>
        {
            Assert.That(await Ids(FailedJobFilter.None), Is.EqualTo(new[] { reportInvalid, reportTimeout, execute }));
            Assert.That(await Ids(new FailedJobFilter(Method: "buildREPORT")), Is.EqualTo(new[] { reportInvalid, reportTimeout }));
            Assert.That(await Ids(new FailedJobFilter(Method: "ContractSampleJob.Execute")), Is.EqualTo(new[] { execute }));
            Assert.That(await Ids(new FailedJobFilter(Method: "Jobs.Tests")), Is.Empty, "the namespace is not part of the shown name");
            Assert.That(await Ids(new FailedJobFilter(ExceptionType: "timeout")), Is.EqualTo(new[] { reportTimeout }));
            Assert.That(await Ids(new FailedJobFilter(ExceptionType: "System.InvalidOperationException")), Is.EqualTo(new[] { reportInvalid, execute }));
            Assert.That(await Ids(new FailedJobFilter(Queue: "emails")), Is.EqualTo(new[] { reportTimeout }));
            Assert.That(await Ids(new FailedJobFilter(Method: "Report", ExceptionType: "InvalidOperation", Queue: "default")), Is.EqualTo(new[] { reportInvalid }));
            Assert.That(await Ids(new FailedJobFilter(Method: "%")), Is.Empty, "wildcards are taken literally");
            Assert.That(await Monitoring.CountFailedJobsAsync(new FailedJobFilter(Method: "Report"), 100, default), Is.EqualTo(new LimitedCount(2, false)));
            Assert.That(await Monitoring.CountFailedJobsAsync(FailedJobFilter.None, 100, default), Is.EqualTo(new LimitedCount(3, false)));
            Assert.That((await Monitoring.GetFailedJobsAsync(new FailedJobFilter(Method: "Report"), 1, 10, default)).Select(j => j.Id), Is.EqualTo(new[] { reportTimeout }));
        });
    }

    [Test]
    public async Task CountFailedJobsAsync_SaysMoreThanTheLimit_OnlyWhenMoreJobsMatch()
    {
        for (var i = 0; i < 7; i++)
        {
            await CreateFailedAsync(ContractSampleJob.Report("r" + i.ToString(CultureInfo.InvariantCulture)), "default", new TimeoutException("slow"));
        }

        await CreateFailedAsync(ContractSampleJob.Run(), "default", new InvalidOperationException("other"));
        await CreateFailedAsync(ContractSampleJob.Run(), "default", new InvalidOperationException("other"));
        var reports = new FailedJobFilter(Method: "BuildReport");

        Assert.Multiple(async () =>
        {
            Assert.That(await Monitoring.CountFailedJobsAsync(reports, 5, default), Is.EqualTo(new LimitedCount(5, true)));
            Assert.That(await Monitoring.CountFailedJobsAsync(reports, 6, default), Is.EqualTo(new LimitedCount(6, true)));
            Assert.That(await Monitoring.CountFailedJobsAsync(reports, 7, default), Is.EqualTo(new LimitedCount(7, false)), "exactly the limit is exact");
            Assert.That(await Monitoring.CountFailedJobsAsync(reports, 10_000, default), Is.EqualTo(new LimitedCount(7, false)));
            Assert.That(await Monitoring.CountFailedJobsAsync(new FailedJobFilter(ExceptionType: "Timeout"), 1, default), Is.EqualTo(new LimitedCount(1, true)));
            Assert.That(await Monitoring.CountFailedJobsAsync(new FailedJobFilter(Method: "NoSuchMethod"), 1, default), Is.EqualTo(new LimitedCount(0, false)));
            Assert.That(await Monitoring.CountFailedJobsAsync(FailedJobFilter.None, 8, default), Is.EqualTo(new LimitedCount(8, true)));
            Assert.That(await Monitoring.CountFailedJobsAsync(FailedJobFilter.None, 9, default), Is.EqualTo(new LimitedCount(9, false)));
            Assert.That(() => Monitoring.CountFailedJobsAsync(reports, 0, default), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public async Task GetFailedJobsAfterAsync_MeetsEveryMatchOnce_WhenJobsFailDuringTheWalk()
    {
        var failed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            failed.Add(await CreateFailedAsync(ContractSampleJob.Report("c" + i.ToString(CultureInfo.InvariantCulture)), "default", new InvalidOperationException("x")));
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        await CreateFailedAsync(ContractSampleJob.Run(), "default", new InvalidOperationException("not matching"));
        var met = new List<string>();
        FailedJobCursor? after = null;
        var filter = new FailedJobFilter(Method: "BuildReport");
        while (true)
        {
            var page = await Monitoring.GetFailedJobsAfterAsync(filter, after, 2, default);
            if (page.Count == 0)
            {
                break;
            }

            met.AddRange(page.Select(j => j.Id));
            after = FailedJobCursor.After(page[^1]);

            // A job that fails while the walk goes on, and one met already that fails again: neither is met (again).
            Time.Advance(TimeSpan.FromSeconds(1));
            await CreateFailedAsync(ContractSampleJob.Report("late"), "default", new InvalidOperationException("late"));
            await Storage.ChangeStatesAsync([new StateChange(page[0].Id, new EnqueuedState())], default);
            await Storage.ChangeStatesAsync([new StateChange(page[0].Id, new FailedState(new InvalidOperationException("again")))], default);
            Assert.That(met, Has.Count.LessThanOrEqualTo(5), "the walk must end");
        }

        Assert.That(met, Is.EqualTo(Enumerable.Reverse(failed).ToArray()));
    }

    [Test]
    public async Task GetRetriesAsync_ListsScheduledRetriesSoonestFirst_WhenSomeScheduledJobsAreNotRetries()
    {
        var now = Time.GetUtcNow();
        var later = await EnqueueAsync();
        var sooner = await EnqueueAsync();
        await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new ScheduledState(now.AddMinutes(1))), default);
        await Storage.ChangeStatesAsync(
            [
                new StateChange(later, new ScheduledState(now.AddMinutes(10))) { RetryCount = 1 },
                new StateChange(sooner, new ScheduledState(now.AddMinutes(5))) { RetryCount = 3 },
            ],
            default);

        var retries = await Monitoring.GetRetriesAsync(0, 10, default);

        Assert.That(retries.Select(r => r.Id), Is.EqualTo(new[] { sooner, later }));
        Assert.That(retries.Select(r => r.RetryCount), Is.EqualTo(new[] { 3, 1 }));
    }

    [Test]
    public async Task GetEnqueuedJobsAsync_ListsOneQueueOldestFirst_WhenQueuesHoldJobs()
    {
        var a = await EnqueueAsync("emails");
        Time.Advance(TimeSpan.FromSeconds(1));
        await EnqueueAsync("default");
        var b = await EnqueueAsync("emails");
        Time.Advance(TimeSpan.FromSeconds(1));
        var c = await EnqueueAsync("emails");

        var page = await Monitoring.GetEnqueuedJobsAsync("emails", 0, 10, default);
        var skipped = await Monitoring.GetEnqueuedJobsAsync("emails", 1, 1, default);

        Assert.That(page.Select(j => j.Id), Is.EqualTo(new[] { a, b, c }));
        Assert.That(skipped.Select(j => j.Id), Is.EqualTo(new[] { b }));
        Assert.That(await Monitoring.GetEnqueuedJobsAsync("empty", 0, 10, default), Is.Empty);
    }

    [Test]
    public async Task GetJobDetailsAsync_ReturnsHistoryNewestFirstAndContinuations_WhenJobHasChildren()
    {
        var parent = await EnqueueAsync();
        var child1 = await ContinueAsync(parent);
        var child2 = await ContinueAsync(parent, JobContinuationOptions.OnAnyFinishedState);
        await FetchAsync("server-1", 1, "default");

        var details = await DetailsAsync(parent);
        var child = await DetailsAsync(child1);

        Assert.Multiple(() =>
        {
            Assert.That(details.Summary.Id, Is.EqualTo(parent));
            Assert.That(details.Invocation.Method, Is.EqualTo(nameof(ContractSampleJob.Execute)));
            Assert.That(details.History.Select(h => h.StateName), Is.EqualTo(new[] { ProcessingState.StateName, EnqueuedState.StateName }));
            Assert.That(details.ContinuationIds, Is.EquivalentTo(new[] { child1, child2 }));
            Assert.That(details.ParentId, Is.Null);
            Assert.That(details.ServerId, Is.EqualTo("server-1"));
            Assert.That(details.ExpireAt, Is.Null);
            Assert.That(child.ParentId, Is.EqualTo(parent));
            Assert.That(child.Summary.StateData["ParentId"], Is.EqualTo(parent));
        });
    }

    [TestCase("999999999")]
    [TestCase("x1")]
    [TestCase("")]
    public async Task GetJobDetailsAsync_ReturnsNull_WhenIdIsUnknownOrMalformed(string id)
    {
        await EnqueueAsync();

        Assert.That(await Monitoring.GetJobDetailsAsync(id, default), Is.Null);
    }

    [Test]
    public async Task GetQueuesAsync_ListsQueuesWithJobsAndQueuesServersListenTo_WhenBothExist()
    {
        var a1 = await EnqueueAsync("alpha");
        var a2 = await EnqueueAsync("alpha");
        await EnqueueAsync("alpha");
        await Storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 1, ["alpha", "beta"], Time.GetUtcNow()), default);

        var queues = await Monitoring.GetQueuesAsync(2, default);
        var alpha = queues.Single(q => q.Name == "alpha");
        var beta = queues.Single(q => q.Name == "beta");

        Assert.Multiple(() =>
        {
            Assert.That(queues, Has.Count.EqualTo(2));
            Assert.That(alpha.Length, Is.EqualTo(3));
            Assert.That(alpha.FirstJobs.Select(j => j.Id), Is.EqualTo(new[] { a1, a2 }));
            Assert.That(beta.Length, Is.Zero);
            Assert.That(beta.FirstJobs, Is.Empty);
        });
    }

    [Test]
    public async Task GetRecurringJobsAsync_ListsRecurringJobsWithLastJobState_WhenTheyHaveRun()
    {
        var next = Time.GetUtcNow().AddMinutes(-1);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("a-job", "0 3 * * *", next), default);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("b-job", "0 4 * * *", next.AddHours(1)), default);
        var claim = await Storage.ClaimRecurringOccurrenceAsync(Claim("a-job", next, next.AddDays(1)), default);
        await FetchAsync("server-1", 1, "default");

        var list = await Monitoring.GetRecurringJobsAsync(default);
        var a = list.Single(r => r.Id == "a-job");
        var b = list.Single(r => r.Id == "b-job");

        Assert.Multiple(() =>
        {
            Assert.That(list, Has.Count.EqualTo(2));
            Assert.That(a.LastJobId, Is.EqualTo(claim.JobId));
            Assert.That(a.LastJobState, Is.EqualTo(ProcessingState.StateName));
            Assert.That(b.LastJobId, Is.Null);
            Assert.That(b.LastJobState, Is.Null);
        });
    }

    [Test]
    public async Task GetRecurringJobRunsAsync_ListsRunsNewestFirst_WhenRecurringJobRanSeveralTimes()
    {
        var next = Time.GetUtcNow().AddMinutes(-10);
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("every-minute", "* * * * *", next) with { AllowOverlap = true }, default);
        var runs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var claim = Claim("every-minute", next.AddMinutes(i), next.AddMinutes(i + 1)) with { SkipIfPreviousRunning = false };
            runs.Add((await Storage.ClaimRecurringOccurrenceAsync(claim, default)).JobId!);
        }

        await EnqueueAsync();

        var listed = await Monitoring.GetRecurringJobRunsAsync("every-minute", 2, default);

        Assert.That(listed.Select(r => r.Id), Is.EqualTo(new[] { runs[2], runs[1] }));
        Assert.That(listed.Select(r => r.RecurringJobId), Is.All.EqualTo("every-minute"));
        Assert.That(await Monitoring.GetRecurringJobRunsAsync("missing", 10, default), Is.Empty);
    }

    [Test]
    public async Task GetTaskStatisticsAsync_AggregatesFinishedRunsPerTaskAndRecurringJob_WhenJobsFinishedInTheRange()
    {
        var start = Time.GetUtcNow();
        var from = start.AddHours(1);
        var to = from.AddDays(7);
        await FinishAsync(await EnqueueAsync(), Succeeded(999));                        // before the range
        Time.SetUtcNow(from);
        await FinishAsync(await EnqueueAsync(), Succeeded(10));
        Time.Advance(TimeSpan.FromDays(2));
        var slowest = await EnqueueAsync();
        await FinishAsync(slowest, Succeeded(30));
        await FinishAsync(await EnqueueAsync(), new FailedState(new InvalidOperationException("boom")));
        await FinishAsync(await EnqueueAsync(), new DeletedState());                     // neither succeeded nor failed
        await EnqueueAsync();                                                            // not finished
        var report = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Report("Globex"), "default", new EnqueuedState()), default);
        await FinishAsync(report, new FailedState(new InvalidOperationException("no data")));
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", Time.GetUtcNow().AddMinutes(-1)), default);
        var nightly = (await Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", Time.GetUtcNow().AddMinutes(-1), Time.GetUtcNow().AddDays(1)), default)).JobId!;
        await FinishAsync(nightly, Succeeded(50));
        Time.SetUtcNow(to);
        await FinishAsync(await EnqueueAsync(), Succeeded(777));                        // at the end: outside

        var statistics = await Monitoring.GetTaskStatisticsAsync(from, to, default);

        Assert.That(statistics, Is.EqualTo(new[]
        {
            new TaskStatistics("ContractSampleJob.BuildReport", null, 0, 1, null, null, null),
            new TaskStatistics("ContractSampleJob.Execute", null, 2, 1, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(30), slowest),
            new TaskStatistics("ContractSampleJob.Execute", "nightly", 1, 0, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), nightly),
        }));
        Assert.That(statistics[1].SuccessRate, Is.EqualTo(2.0 / 3).Within(1e-9));
    }

    [Test]
    public async Task GetTaskStatisticsAsync_ReturnsEmpty_WhenNothingFinishedInTheRange()
    {
        await FinishAsync(await EnqueueAsync(), Succeeded(10));
        var now = Time.GetUtcNow();

        Assert.That(await Monitoring.GetTaskStatisticsAsync(now.AddSeconds(1), now.AddDays(7), default), Is.Empty);
        Assert.That(await Monitoring.GetTaskStatisticsAsync(now.AddDays(-7), now, default), Is.Empty, "the end of the range is exclusive");
    }

    [Test]
    public async Task GetTaskStatisticsAsync_CountsExpiredRunsOnceWithTheirDurations_WhenMostJobsOfTheRangeHaveExpired()
    {
        var from = NextUtcMidnight();
        var to = from.AddDays(7);
        Time.SetUtcNow(from.AddHours(-1));
        await FinishAsync(await EnqueueAsync(), Succeeded(999));                        // the day before the range
        Time.SetUtcNow(from.AddHours(2));
        await FinishAsync(await EnqueueAsync(), Succeeded(10));
        await FinishAsync(await EnqueueAsync(), Succeeded(30));
        await FinishAsync(await EnqueueAsync(), new FailedState(new InvalidOperationException("boom")));   // failed jobs are kept
        await FinishAsync(await EnqueueAsync(), new DeletedState());                     // neither succeeded nor failed
        var report = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Report("Globex"), "default", new EnqueuedState()), default);
        await FinishAsync(report, new FailedState(new InvalidOperationException("no data")));
        Time.SetUtcNow(from.AddDays(1).AddHours(3));
        await Storage.AddOrUpdateRecurringJobAsync(Recurring("nightly", "0 3 * * *", Time.GetUtcNow().AddMinutes(-1)), default);
        var nightly = (await Storage.ClaimRecurringOccurrenceAsync(Claim("nightly", Time.GetUtcNow().AddMinutes(-1), Time.GetUtcNow().AddDays(1)), default)).JobId!;
        await FinishAsync(nightly, Succeeded(70));
        Time.SetUtcNow(from.AddDays(3));
        var slowest = await EnqueueAsync();
        await FinishAsync(slowest, Succeeded(50));                                      // still stored at the end
        Time.SetUtcNow(to);
        await FinishAsync(await EnqueueAsync(), Succeeded(777));                        // at the end: outside

        // With the default retention of a day, everything that finished before the range's third day has expired.
        var expired = await Storage.DeleteExpiredJobsAsync(from.AddDays(3), 100, default);
        var statistics = await Monitoring.GetTaskStatisticsAsync(from, to, default);

        Assert.Multiple(async () =>
        {
            Assert.That(expired, Is.EqualTo(5), "999, 10, 30, the deleted job and the nightly run");
            Assert.That(await Storage.GetJobAsync(nightly, default), Is.Null);
            Assert.That(statistics, Is.EqualTo(new[]
            {
                new TaskStatistics("ContractSampleJob.BuildReport", null, 0, 1, null, null, null),
                new TaskStatistics("ContractSampleJob.Execute", null, 3, 1, TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(50), slowest),
                new TaskStatistics("ContractSampleJob.Execute", "nightly", 1, 0, TimeSpan.FromMilliseconds(70), TimeSpan.FromMilliseconds(70), null),
            }));
        });
    }

    [Test]
    public async Task GetTaskStatisticsAsync_NamesNoSlowestJob_WhenTheLongestRunHasExpired()
    {
        var from = NextUtcMidnight();
        Time.SetUtcNow(from.AddHours(1));
        await FinishAsync(await EnqueueAsync(), Succeeded(90));
        Time.SetUtcNow(from.AddDays(2));
        var stored = await EnqueueAsync();
        await FinishAsync(stored, Succeeded(30));

        await Storage.DeleteExpiredJobsAsync(from.AddDays(1).AddHours(12), 100, default);
        var statistics = await Monitoring.GetTaskStatisticsAsync(from, from.AddDays(7), default);

        Assert.That(statistics, Is.EqualTo(new[]
        {
            new TaskStatistics("ContractSampleJob.Execute", null, 2, 0, TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(90), null),
        }));
    }

    [Test]
    public async Task GetTaskStatisticsAsync_CountsEachExpiredRunOnce_WhenExpirationRunsTwiceAndInParallel()
    {
        var from = NextUtcMidnight();
        Time.SetUtcNow(from.AddHours(5));
        await Storage.CreateJobsAsync(Enumerable.Range(0, 40).Select(_ => new NewJob(ContractSampleJob.Run(), "default", Succeeded(20))).ToList(), default);
        var later = from.AddDays(3);

        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var deleted = 0;
            for (var batch = await Storage.DeleteExpiredJobsAsync(later, 3, default); batch > 0; batch = await Storage.DeleteExpiredJobsAsync(later, 3, default))
            {
                deleted += batch;
            }

            return deleted;
        })));
        var again = await Storage.DeleteExpiredJobsAsync(later, 100, default);
        var statistics = await Monitoring.GetTaskStatisticsAsync(from, from.AddDays(1), default);

        Assert.Multiple(() =>
        {
            Assert.That(passes.Sum(), Is.EqualTo(40));
            Assert.That(again, Is.Zero);
            Assert.That(statistics, Is.EqualTo(new[]
            {
                new TaskStatistics("ContractSampleJob.Execute", null, 40, 0, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20), null),
            }));
        });
    }

    [Test]
    public async Task GetTaskStatisticsAsync_CountsAnExpiredRunInTheRangeHoldingTheStartOfItsDay_WhenRangesSplitADay()
    {
        var day = NextUtcMidnight();
        Time.SetUtcNow(day.AddHours(10));
        await FinishAsync(await EnqueueAsync(), Succeeded(10));
        await Storage.DeleteExpiredJobsAsync(day.AddDays(2), 100, default);
        var split = day.AddHours(6);

        var before = await Monitoring.GetTaskStatisticsAsync(split.AddDays(-1), split, default);
        var after = await Monitoring.GetTaskStatisticsAsync(split, split.AddDays(1), default);
        var wholeDay = await Monitoring.GetTaskStatisticsAsync(day, day.AddDays(1), default);

        Assert.Multiple(() =>
        {
            Assert.That(before.Sum(t => t.Succeeded), Is.EqualTo(1), "the day starts in the earlier range");
            Assert.That(after, Is.Empty, "counted once");
            Assert.That(wholeDay.Sum(t => t.Succeeded), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task DeleteExpiredJobsAsync_DropsTheDailyFiguresOfExpiredJobs_WhenTheyAreOlderThan400Days()
    {
        var day = NextUtcMidnight();
        Time.SetUtcNow(day.AddHours(1));
        await FinishAsync(await EnqueueAsync(), Succeeded(10));
        await Storage.DeleteExpiredJobsAsync(day.AddDays(2), 100, default);
        var kept = await Monitoring.GetTaskStatisticsAsync(day, day.AddDays(1), default);

        await Storage.DeleteExpiredJobsAsync(day.AddDays(400), 100, default);
        var stillKept = await Monitoring.GetTaskStatisticsAsync(day, day.AddDays(1), default);
        await Storage.DeleteExpiredJobsAsync(day.AddDays(401), 100, default);
        var dropped = await Monitoring.GetTaskStatisticsAsync(day, day.AddDays(1), default);

        Assert.Multiple(() =>
        {
            Assert.That(kept.Sum(t => t.Succeeded), Is.EqualTo(1));
            Assert.That(stillKept.Sum(t => t.Succeeded), Is.EqualTo(1));
            Assert.That(dropped, Is.Empty);
        });
    }

    [Test]
    public async Task SearchJobsAsync_FindsJobsByIdTypeMethodAndArguments_WhenTextMatches()
    {
        var alpha = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(5, "alpha-customer"), "default", new EnqueuedState()), default);
        var report = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Report("Globex"), "default", new EnqueuedState()), default);
        var other = await Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(6, "zeta"), "default", new EnqueuedState()), default);

        var byId = await Monitoring.SearchJobsAsync(report, 10, default);
        var byType = await Monitoring.SearchJobsAsync("contractsamplejob", 10, default);
        var byMethod = await Monitoring.SearchJobsAsync("BUILDREPORT", 10, default);
        var byArgument = await Monitoring.SearchJobsAsync("alpha-cust", 10, default);
        var none = await Monitoring.SearchJobsAsync("no-such-text-anywhere", 10, default);
        var limited = await Monitoring.SearchJobsAsync("ContractSampleJob", 2, default);

        Assert.Multiple(() =>
        {
            Assert.That(byId.Select(j => j.Id), Does.Contain(report));
            Assert.That(byType.Select(j => j.Id), Is.EqualTo(new[] { other, report, alpha }));
            Assert.That(byMethod.Select(j => j.Id), Is.EqualTo(new[] { report }));
            Assert.That(byArgument.Select(j => j.Id), Is.EqualTo(new[] { alpha }));
            Assert.That(none, Is.Empty);
            Assert.That(limited.Select(j => j.Id), Is.EqualTo(new[] { other, report }));
        });
    }

    // ---- helpers ------------------------------------------------------------------------------

    // ---- job logs ---------------------------------------------------------------------------------

    [Test]
    public async Task AppendJobLogAsync_KeepsLinesInOrderWithTimesAndLevels_WhenAppendedInSeveralBatches()
    {
        var id = await EnqueueAsync();
        var t0 = Time.GetUtcNow();

        await Storage.AppendJobLogAsync([Append(id, t0, "one", "two")], 100, default);
        await Storage.AppendJobLogAsync([new JobLogAppend(id, [new NewJobLogLine(t0.AddMilliseconds(5), LogLevel.Error, "three")])], 100, default);
        var lines = await Monitoring.GetJobLogAsync(id, 0, 100, default);

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[] { "one", "two", "three" }));
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.Sequence), Is.Ordered.Ascending.And.Unique);
            Assert.That(lines[0].Time, Is.EqualTo(t0));
            Assert.That(lines[1].Time, Is.EqualTo(t0.AddMilliseconds(1)));
            Assert.That(lines[2].Time, Is.EqualTo(t0.AddMilliseconds(5)));
            Assert.That(lines.Select(l => l.Level), Is.EqualTo(new[] { LogLevel.Information, LogLevel.Information, LogLevel.Error }));
        });
    }

    [Test]
    public async Task GetJobLogAsync_ReturnsOnlyLinesAfterTheSequence_WhenTailing()
    {
        var id = await EnqueueAsync();
        await Storage.AppendJobLogAsync([Append(id, Time.GetUtcNow(), "a", "b", "c")], 100, default);
        var first = await Monitoring.GetJobLogAsync(id, 0, 100, default);

        await Storage.AppendJobLogAsync([Append(id, Time.GetUtcNow(), "d", "e")], 100, default);
        var afterSecond = await Monitoring.GetJobLogAsync(id, first[1].Sequence, 100, default);
        var afterLast = await Monitoring.GetJobLogAsync(id, afterSecond[^1].Sequence, 100, default);
        var limited = await Monitoring.GetJobLogAsync(id, 0, 2, default);

        Assert.Multiple(() =>
        {
            Assert.That(afterSecond.Select(l => l.Message), Is.EqualTo(new[] { "c", "d", "e" }));
            Assert.That(afterLast, Is.Empty);
            Assert.That(limited.Select(l => l.Message), Is.EqualTo(new[] { "a", "b" }));
        });
    }

    [Test]
    public async Task AppendJobLogAsync_KeepsTheLinesOfEachJobApart_WhenOneBatchHoldsSeveralJobs()
    {
        var first = await EnqueueAsync();
        var second = await EnqueueAsync();
        var now = Time.GetUtcNow();

        await Storage.AppendJobLogAsync([Append(first, now, "1a", "1b"), Append(second, now, "2a"), Append(first, now, "1c")], 100, default);

        Assert.That((await Monitoring.GetJobLogAsync(first, 0, 100, default)).Select(l => l.Message), Is.EqualTo(new[] { "1a", "1b", "1c" }));
        Assert.That((await Monitoring.GetJobLogAsync(second, 0, 100, default)).Select(l => l.Message), Is.EqualTo(new[] { "2a" }));
    }

    [Test]
    public async Task AppendJobLogAsync_KeepsTheFirstLinesAndOneDroppedMarker_WhenTheCapIsExceeded()
    {
        var id = await EnqueueAsync();
        var now = Time.GetUtcNow();

        await Storage.AppendJobLogAsync([Append(id, now, "1", "2", "3")], 4, default);
        await Storage.AppendJobLogAsync([Append(id, now, "4", "5", "6")], 4, default);
        var once = await Monitoring.GetJobLogAsync(id, 0, 100, default);
        await Storage.AppendJobLogAsync([Append(id, now, "7") with { DroppedLines = 10 }], 4, default);
        var lines = await Monitoring.GetJobLogAsync(id, 0, 100, default);

        Assert.Multiple(() =>
        {
            Assert.That(once.Select(l => l.Message), Is.EqualTo(new[] { "1", "2", "3", "4", JobLogLine.DroppedMarker(2) }));
            Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[] { "1", "2", "3", "4", JobLogLine.DroppedMarker(13) }));
            Assert.That(lines[^1].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(lines.Select(l => l.Sequence), Is.Ordered.Ascending.And.Unique);
        });
    }

    [Test]
    public async Task AppendJobLogAsync_CountsDroppedLines_WhenTheWriterDroppedSomeBeforeTheCap()
    {
        var id = await EnqueueAsync();

        await Storage.AppendJobLogAsync([Append(id, Time.GetUtcNow(), "kept") with { DroppedLines = 3 }], 100, default);
        var lines = await Monitoring.GetJobLogAsync(id, 0, 100, default);

        Assert.That(lines.Select(l => l.Message), Is.EqualTo(new[] { "kept", JobLogLine.DroppedMarker(3) }));
    }

    [Test]
    public async Task AppendJobLogAsync_KeepsTextAsWritten_WhenItHoldsMarkupQuotesAndNonAsciiCharacters()
    {
        var id = await EnqueueAsync();
        const string text = "<script>alert('x')</script> \"quoted\" — Grüße, 日本語\nsecond line";

        await Storage.AppendJobLogAsync([Append(id, Time.GetUtcNow(), text)], 100, default);

        Assert.That((await Monitoring.GetJobLogAsync(id, 0, 100, default)).Single().Message, Is.EqualTo(text));
    }

    [Test]
    public async Task AppendJobLogAsync_IgnoresLines_WhenTheJobDoesNotExist()
    {
        var id = await EnqueueAsync();

        await Storage.AppendJobLogAsync([Append("987654321", Time.GetUtcNow(), "lost"), Append("not-a-job", Time.GetUtcNow(), "lost"), Append(id, Time.GetUtcNow(), "kept")], 100, default);

        Assert.Multiple(async () =>
        {
            Assert.That((await Monitoring.GetJobLogAsync(id, 0, 100, default)).Select(l => l.Message), Is.EqualTo(new[] { "kept" }));
            Assert.That(await Monitoring.GetJobLogAsync("987654321", 0, 100, default), Is.Empty);
            Assert.That(await Monitoring.GetJobLogAsync("not-a-job", 0, 100, default), Is.Empty);
        });
    }

    [Test]
    public async Task AppendJobLogAsync_Throws_WhenTheCapIsLessThanOne()
    {
        var id = await EnqueueAsync();

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Storage.AppendJobLogAsync([Append(id, Time.GetUtcNow(), "x")], 0, default));
        Assert.That(await Monitoring.GetJobLogAsync(id, 0, 100, default), Is.Empty);
    }

    [Test]
    public async Task JobLog_IsRemovedWithTheJob_WhenTheJobExpires()
    {
        var expiring = await EnqueueAsync();
        var kept = await EnqueueAsync();
        await Storage.AppendJobLogAsync([Append(expiring, Time.GetUtcNow(), "gone soon"), Append(kept, Time.GetUtcNow(), "stays")], 100, default);
        await SucceedAsync(expiring);
        var before = await Monitoring.GetJobLogAsync(expiring, 0, 100, default);

        var deleted = await Storage.DeleteExpiredJobsAsync(Time.GetUtcNow().AddDays(3650), 100, default);

        Assert.Multiple(async () =>
        {
            Assert.That(before.Select(l => l.Message), Is.EqualTo(new[] { "gone soon" }));
            Assert.That(deleted, Is.EqualTo(1));
            Assert.That(await Monitoring.GetJobLogAsync(expiring, 0, 100, default), Is.Empty);
            Assert.That((await Monitoring.GetJobLogAsync(kept, 0, 100, default)).Select(l => l.Message), Is.EqualTo(new[] { "stays" }));
        });
    }

    /// <summary>The first midnight UTC after the clock's time: the start of a whole day ahead.</summary>
    private DateTimeOffset NextUtcMidnight() => new(Time.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    /// <summary>Lines one millisecond apart from <paramref name="start"/>, at Information.</summary>
    private static JobLogAppend Append(string jobId, DateTimeOffset start, params string[] messages) =>
        new(jobId, messages.Select((m, i) => new NewJobLogLine(start.AddMilliseconds(i), LogLevel.Information, m)).ToList());

    private static RecurringJobDefinition Recurring(string id, string cron, DateTimeOffset? next) =>
        new(id, ContractSampleJob.Run(), cron, "UTC", "default", next);

    private RecurringOccurrenceClaim Claim(string id, DateTimeOffset expected, DateTimeOffset? newNext, DateTimeOffset? claimedAt = null, string queue = "default") =>
        new(id, expected, newNext, claimedAt ?? Time.GetUtcNow(), new NewJob(ContractSampleJob.Run(), queue, new EnqueuedState()));

    private Task<string> EnqueueAsync(string queue = "default") =>
        Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), queue, new EnqueuedState()), default);

    private Task<string> ContinueAsync(string parentId, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState, string queue = "default") =>
        Storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), queue, new AwaitingState(parentId, options)), default);

    private Task<IReadOnlyList<FetchedJob>> FetchAsync(string serverId, int count, params string[] queues) =>
        Storage.FetchNextAsync(new FetchRequest(queues, count, serverId), default);

    private static SucceededState Succeeded(int milliseconds) => new(null, TimeSpan.Zero, TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Moves the job to <paramref name="state"/> from whatever state it is in, at the clock's time.</summary>
    private async Task FinishAsync(string jobId, IState state)
    {
        var applied = await Storage.ChangeStatesAsync([new StateChange(jobId, state)], default);
        Assert.That(applied, Is.EqualTo(new[] { true }), $"Job {jobId} should have entered {state.Name}.");
    }

    /// <summary>Fetches the job if it is enqueued, then completes it as the server that holds it does.</summary>
    private async Task SucceedAsync(string jobId)
    {
        var job = await GetAsync(jobId);
        var server = job.ServerId ?? "finisher";
        if (job.StateName == EnqueuedState.StateName)
        {
            await Storage.ChangeStatesAsync([new StateChange(jobId, new ProcessingState(server))], default);
        }

        var applied = await Storage.ChangeStatesAsync(
            [new StateChange(jobId, new SucceededState(null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10))) { ExpectedStates = [ProcessingState.StateName], ExpectedServerId = server }],
            default);
        Assert.That(applied, Is.EqualTo(new[] { true }), $"Job {jobId} should have succeeded.");
    }

    private async Task<StoredJob> GetAsync(string id)
    {
        var job = await Storage.GetJobAsync(id, default);
        Assert.That(job, Is.Not.Null, $"Job {id} should exist.");
        return job!;
    }

    private async Task<JobDetails> DetailsAsync(string id)
    {
        var details = await Monitoring.GetJobDetailsAsync(id, default);
        Assert.That(details, Is.Not.Null, $"Job {id} should have details.");
        return details!;
    }

    private async Task<RecurringJobRecord> RecurringAsync(string id)
    {
        var record = await Storage.GetRecurringJobAsync(id, default);
        Assert.That(record, Is.Not.Null, $"Recurring job {id} should exist.");
        return record!;
    }

    /// <summary>
    /// Moves the manual clock in small steps until the task is done (or patience runs out), for
    /// storages whose timeouts and lock polling run on the injected clock. Each step yields briefly
    /// so work that is woken can run; nothing is asserted about how long it takes.
    /// </summary>
    private async Task AdvanceClockUntilDoneAsync(Task task)
    {
        var patience = Task.Delay(Patience);
        while (!task.IsCompleted && !patience.IsCompleted)
        {
            Time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(task, Task.Delay(5));
        }
    }

    private static async Task AssertCompletesAsync(Task task)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Patience));
        Assert.That(finished, Is.SameAs(task), "The wait should have returned.");
        await task;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task<string> CreateFailedAsync(Common.InvocationData invocation, string queue, Exception exception)
    {
        var id = await Storage.CreateJobAsync(new NewJob(invocation, queue, new EnqueuedState()), default);
        var applied = await Storage.ChangeStatesAsync([new StateChange(id, new FailedState(exception)) { ExpectedStates = [EnqueuedState.StateName] }], default);
        Assert.That(applied[0], Is.True);
        return id;
    }
}
