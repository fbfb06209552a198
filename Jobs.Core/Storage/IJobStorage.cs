namespace Jobs.Storage;

/// <summary>
/// Where jobs live. Cut at the level of what the engine does, so each step is one round trip:
/// create · fetch · change state (compare-and-set) · move due scheduled · recurring claims ·
/// servers and their jobs · locks · expiration. The read side is <see cref="Monitoring"/>.
/// Every implementation passes the same contract test suite.
/// </summary>
public interface IJobStorage : IAsyncDisposable
{
    /// <summary>The read side for the dashboard.</summary>
    IMonitoringApi Monitoring { get; }

    /// <summary>Prepares the storage (PostgreSQL: creates and migrates the schema). Safe to call from several processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Writes a job and its first state (and its history entry) in one transaction; returns the new id.</summary>
    /// <remarks>
    /// An <see cref="States.AwaitingState"/> whose parent has already finished is written as its
    /// next state straight away (Enqueued, or Deleted for an only-on-success continuation of a deleted parent).
    /// An <see cref="States.EnqueuedState"/> wakes servers listening on its queue once committed.
    /// A job with <see cref="NewJob.RecurringJobId"/> also becomes that recurring job's last run.
    /// Bad calls fail at the caller and write nothing: an <see cref="States.AwaitingState"/> whose parent does not
    /// exist (never existed, malformed id, or already expired) throws an <see cref="ArgumentException"/> naming the
    /// parent; so does an invalid <see cref="NewJob.Queue"/> (see <see cref="States.QueueNames"/>).
    /// </remarks>
    Task<string> CreateJobAsync(NewJob job, CancellationToken cancellationToken);

    /// <summary>Writes many jobs in as few round trips as possible; ids in the order given.</summary>
    /// <remarks>As <see cref="CreateJobAsync"/>; when one job is a bad call, none of them is written.</remarks>
    Task<IReadOnlyList<string>> CreateJobsAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <see cref="FetchRequest.Count"/> enqueued jobs from the queues, earlier queues first and
    /// oldest first within a queue, and marks them Processing by the server (with history), skipping
    /// jobs other servers are claiming at the same moment. Returns an empty list when there is nothing.
    /// </summary>
    Task<IReadOnlyList<FetchedJob>> FetchNextAsync(FetchRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Applies state changes, each a compare-and-set against <see cref="StateChange.ExpectedStates"/>
    /// (and <see cref="StateChange.ExpectedServerId"/>), each with a history entry, in one round trip.
    /// Returns, per change, whether it was applied. A lost race is an answer (false), not an error.
    /// </summary>
    /// <remarks>
    /// The storage also keeps what follows from the new state: the queue of an Enqueued state (and
    /// the wake-up), the time of a Scheduled state, the hourly and daily succeeded / failed counters,
    /// expiration of final states after the retention time, and continuations of a job that reaches a
    /// final state (Succeeded: all become Enqueued; Deleted: on-any-finished become Enqueued,
    /// only-on-success become Deleted). An <see cref="States.AwaitingState"/> follows the rules of
    /// <see cref="CreateJobAsync"/>: a parent that has already finished moves the job on at once, and a parent
    /// that does not exist is a bad call (<see cref="ArgumentException"/> naming it; the batch is not applied).
    /// </remarks>
    Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken);

    /// <summary>Reads one job's current state and what the worker needs, or null when it does not exist.</summary>
    Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Moves up to <paramref name="batchSize"/> Scheduled jobs due at <paramref name="now"/> to Enqueued; returns how many.</summary>
    Task<int> EnqueueDueScheduledJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>Blocks until a job may be available in one of the queues (a notification) or the timeout passes.</summary>
    /// <remarks>
    /// Returns at once when one of the queues already holds an Enqueued job, so a job enqueued between the caller's
    /// empty fetch and the start of the wait is never left waiting for the timeout. Spurious returns are allowed
    /// (the caller fetches and waits again); a cancellation throws <see cref="OperationCanceledException"/>.
    /// Disposing the storage ends every wait (it returns). Disposing twice is harmless.
    /// </remarks>
    Task WaitForJobsAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Registers a server or refreshes its registration.</summary>
    Task AnnounceServerAsync(ServerAnnouncement server, CancellationToken cancellationToken);

    /// <summary>Records a heartbeat; returns false when the server is no longer registered (the watchdog removed it).</summary>
    Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes a server and puts the jobs it still holds back in their queues; returns how many were requeued.</summary>
    Task<int> RemoveServerAsync(string serverId, string reason, CancellationToken cancellationToken);

    /// <summary>Removes servers whose last heartbeat is older than <paramref name="heartbeatCutoff"/> and requeues their jobs; returns the removed server ids.</summary>
    Task<IReadOnlyList<string>> RemoveTimedOutServersAsync(DateTimeOffset heartbeatCutoff, CancellationToken cancellationToken);

    /// <summary>Of the given jobs, returns those no longer Processing by this server (deleted or requeued meanwhile), so their workers can cancel them.</summary>
    Task<IReadOnlyList<string>> GetJobsNoLongerHeldAsync(string serverId, IReadOnlyList<string> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a lock shared by every server on this storage, held until disposed (or until the process
    /// dies). Throws <see cref="DistributedLockTimeoutException"/> when it is not free within the timeout.
    /// </summary>
    Task<IAsyncDisposable> AcquireLockAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> jobs whose expiry has passed, with their history; returns how many.</summary>
    Task<int> DeleteExpiredJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Appends lines to the logs of running jobs, in one round trip for the whole batch. The lines of a job are
    /// kept in the order given, after the lines appended before; each gets a <see cref="JobLogLine.Sequence"/>
    /// greater than any earlier one of that job. A job keeps at most <paramref name="maxLinesPerJob"/> lines: every
    /// further line (and every <see cref="JobLogAppend.DroppedLines"/>) is only counted, in one marker line after
    /// the kept ones (<see cref="JobLogLine.DroppedMarker"/>). Lines of a job that does not exist (any more) are
    /// ignored. A job's lines are removed with it when it expires.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLinesPerJob"/> is less than 1.</exception>
    Task AppendJobLogAsync(IReadOnlyList<JobLogAppend> appends, int maxLinesPerJob, CancellationToken cancellationToken);

    /// <summary>Creates or updates a recurring job. Paused flag and last run are kept; the next run is replaced only when the schedule (cron or time zone) changed or none is set.</summary>
    Task AddOrUpdateRecurringJobAsync(RecurringJobDefinition definition, CancellationToken cancellationToken);

    /// <summary>Removes a recurring job (its past jobs stay); returns false when it did not exist.</summary>
    Task<bool> RemoveRecurringJobAsync(string id, CancellationToken cancellationToken);

    Task<RecurringJobRecord?> GetRecurringJobAsync(string id, CancellationToken cancellationToken);

    /// <summary>Pauses or resumes; on resume the next run is set to <paramref name="nextExecution"/>. Returns false when it does not exist.</summary>
    Task<bool> SetRecurringJobPausedAsync(string id, bool paused, DateTimeOffset? nextExecution, CancellationToken cancellationToken);

    /// <summary>Recurring jobs that are not paused and whose next run is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<RecurringJobRecord>> GetDueRecurringJobsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims one occurrence of a recurring job exactly once across servers: in one transaction,
    /// moves its next run from <see cref="RecurringOccurrenceClaim.ExpectedNextExecution"/> to
    /// <see cref="RecurringOccurrenceClaim.NewNextExecution"/> and creates the job — or records a skip.
    /// </summary>
    Task<RecurringClaimResult> ClaimRecurringOccurrenceAsync(RecurringOccurrenceClaim claim, CancellationToken cancellationToken);
}
