namespace Jobs.Storage.InMemory;

/// <summary>
/// A storage that keeps everything in the process: the embedded default when no database is
/// configured, and the storage of fast tests. Thread-safe (one lock around the state); every
/// operation keeps the semantics of the storage contract, so code tested against it behaves the
/// same on PostgreSQL. Nothing survives a restart, and servers in other processes cannot share it.
/// </summary>
/// <remarks>
/// Where the contract leaves room, this storage (and the contract tests) settle it so:
/// an Enqueued state naming a queue moves the job to that queue for good, one with no queue keeps the job's;
/// a queue is ordered by the time the job last became Enqueued, then by id;
/// <see cref="IMonitoringApi.GetStatisticsAsync"/> counts jobs in each state now (expired jobs no longer count; the timelines keep history);
/// a continuation of a parent that has already finished is written with both entries, Awaiting then its next state;
/// a recurring claim records <see cref="RecurringOccurrenceClaim.ClaimedAt"/> as the last execution or skip time;
/// resuming (paused = false) always sets the next run to the one given, null included; pausing keeps it;
/// <see cref="WaitForJobsAsync"/> returns at once when a job already waits in one of the queues (a notification that came before the wait is not lost);
/// timeouts of waits and locks run on the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed class InMemoryJobStorage : IJobStorage
{
    private readonly InMemoryStore _store;
    private readonly InMemoryLocks _locks;
    private readonly TimeProvider _time;

    public InMemoryJobStorage(InMemoryStorageOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new InMemoryStorageOptions();
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _store = new InMemoryStore(options.JobRetention, options.TaskStatisticsRetention);
        _locks = new InMemoryLocks(_time);
        Monitoring = new InMemoryMonitoringApi(_store);
    }

    public IMonitoringApi Monitoring { get; }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    public Task<string> CreateJobAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Locked(cancellationToken, (store, now) =>
        {
            store.ValidateParents([job.InitialState]);
            return store.Create(job, now).IdText;
        });
    }

    public Task<IReadOnlyList<string>> CreateJobsAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return Locked<IReadOnlyList<string>>(cancellationToken, (store, now) =>
        {
            store.ValidateParents(jobs.Select(j => j.InitialState));
            foreach (var job in jobs)
            {
                States.QueueNames.Validate(job.Queue);
            }

            return jobs.Select(j => store.Create(j, now).IdText).ToList();
        });
    }

    public Task<IReadOnlyList<FetchedJob>> FetchNextAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Locked<IReadOnlyList<FetchedJob>>(cancellationToken, (store, now) => store.Fetch(request, now));
    }

    public Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return Locked<IReadOnlyList<bool>>(cancellationToken, (store, now) =>
        {
            store.ValidateParents(changes.Select(c => c.NewState));
            return changes.Select(c => store.TryChange(c, now)).ToList();
        });
    }

    public Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        Locked(cancellationToken, (store, _) => store.Find(jobId) is { } job ? store.ToStored(job) : null);

    public Task<int> EnqueueDueScheduledJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Locked(cancellationToken, (store, _) => store.EnqueueDueScheduled(now, batchSize));

    public async Task WaitForJobsAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource? signal;
        lock (_store.Gate)
        {
            signal = _store.AddWaiter(queues);
        }

        if (signal is null)
        {
            return;
        }

        try
        {
            await signal.Task.WaitAsync(InMemoryLocks.Bounded(timeout), _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Waking without a notification is the fallback poll.
        }
        finally
        {
            lock (_store.Gate)
            {
                _store.RemoveWaiter(signal);
            }
        }
    }

    public Task AnnounceServerAsync(ServerAnnouncement server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Locked(cancellationToken, (store, now) =>
        {
            store.Announce(server, now);
            return true;
        });
    }

    public Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        return Locked(cancellationToken, (store, _) => store.Heartbeat(serverId, now));
    }

    public Task<int> RemoveServerAsync(string serverId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        return Locked(cancellationToken, (store, now) => store.RemoveServer(serverId, reason, now));
    }

    public Task<IReadOnlyList<string>> RemoveTimedOutServersAsync(DateTimeOffset heartbeatCutoff, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<string>>(cancellationToken, (store, now) => store.RemoveTimedOutServers(heartbeatCutoff, now));

    public Task<IReadOnlyList<string>> GetJobsNoLongerHeldAsync(string serverId, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(jobIds);
        return Locked<IReadOnlyList<string>>(cancellationToken, (store, _) =>
            jobIds.Where(id => store.Find(id) is not { } job || !InMemoryStore.IsHeldBy(job, serverId)).ToList());
    }

    public Task<IAsyncDisposable> AcquireLockAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken) =>
        _locks.AcquireAsync(resource, timeout, cancellationToken);

    public Task<int> DeleteExpiredJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Locked(cancellationToken, (store, _) => store.DeleteExpired(now, batchSize));

    public Task AppendJobLogAsync(IReadOnlyList<JobLogAppend> appends, int maxLinesPerJob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLinesPerJob, 1);
        return Locked(cancellationToken, (store, now) =>
        {
            foreach (var append in appends)
            {
                store.AppendLog(append, maxLinesPerJob, now);
            }

            return true;
        });
    }

    public Task AddOrUpdateRecurringJobAsync(RecurringJobDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Id);
        return Locked(cancellationToken, (store, now) =>
        {
            store.AddOrUpdateRecurring(definition, now);
            return true;
        });
    }

    public Task<bool> RemoveRecurringJobAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Locked(cancellationToken, (store, _) => store.RemoveRecurring(id));
    }

    public Task<RecurringJobRecord?> GetRecurringJobAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Locked(cancellationToken, (store, _) => store.GetRecurring(id));
    }

    public Task<bool> SetRecurringJobPausedAsync(string id, bool paused, DateTimeOffset? nextExecution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Locked(cancellationToken, (store, _) => store.SetPaused(id, paused, nextExecution));
    }

    public Task<IReadOnlyList<RecurringJobRecord>> GetDueRecurringJobsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<RecurringJobRecord>>(cancellationToken, (store, _) => store.GetDueRecurring(now, limit));

    public Task<RecurringClaimResult> ClaimRecurringOccurrenceAsync(RecurringOccurrenceClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Locked(cancellationToken, (store, now) => store.Claim(claim, now));
    }

    /// <summary>Wakes every waiting server so it can notice the shutdown.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_store.Gate)
        {
            _store.WakeAll();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs one operation atomically under the store's lock, reading the clock once. Failures come
    /// back in the task, as they would from a storage that does real I/O.
    /// </summary>
    private Task<T> Locked<T>(CancellationToken cancellationToken, Func<InMemoryStore, DateTimeOffset, T> operation)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            lock (_store.Gate)
            {
                return Task.FromResult(operation(_store, _time.GetUtcNow()));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return Task.FromException<T>(ex);
        }
    }
}
