using Jobs.Storage;

namespace Jobs.Tests.Server;

/// <summary>Forwards every call to another storage; tests override what they want to break.</summary>
internal class DelegatingJobStorage : IJobStorage
{
    public DelegatingJobStorage(IJobStorage inner)
    {
        Inner = inner;
    }

    public IJobStorage Inner { get; }

    public IMonitoringApi Monitoring => Inner.Monitoring;

    public virtual Task InitializeAsync(CancellationToken cancellationToken) => Inner.InitializeAsync(cancellationToken);

    public virtual Task<string> CreateJobAsync(NewJob job, CancellationToken cancellationToken) => Inner.CreateJobAsync(job, cancellationToken);

    public virtual Task<IReadOnlyList<string>> CreateJobsAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken) => Inner.CreateJobsAsync(jobs, cancellationToken);

    public virtual Task<IReadOnlyList<FetchedJob>> FetchNextAsync(FetchRequest request, CancellationToken cancellationToken) => Inner.FetchNextAsync(request, cancellationToken);

    public virtual Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken) => Inner.ChangeStatesAsync(changes, cancellationToken);

    public virtual Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) => Inner.GetJobAsync(jobId, cancellationToken);

    public virtual Task<int> EnqueueDueScheduledJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) => Inner.EnqueueDueScheduledJobsAsync(now, batchSize, cancellationToken);

    public virtual Task WaitForJobsAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken) => Inner.WaitForJobsAsync(queues, timeout, cancellationToken);

    public virtual Task AnnounceServerAsync(ServerAnnouncement server, CancellationToken cancellationToken) => Inner.AnnounceServerAsync(server, cancellationToken);

    public virtual Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken) => Inner.HeartbeatAsync(serverId, now, cancellationToken);

    public virtual Task AppendJobLogAsync(IReadOnlyList<JobLogAppend> appends, int maxLinesPerJob, CancellationToken cancellationToken) => Inner.AppendJobLogAsync(appends, maxLinesPerJob, cancellationToken);

    public virtual Task<int> RemoveServerAsync(string serverId, string reason, CancellationToken cancellationToken) => Inner.RemoveServerAsync(serverId, reason, cancellationToken);

    public virtual Task<IReadOnlyList<string>> RemoveTimedOutServersAsync(DateTimeOffset heartbeatCutoff, CancellationToken cancellationToken) => Inner.RemoveTimedOutServersAsync(heartbeatCutoff, cancellationToken);

    public virtual Task<IReadOnlyList<string>> GetJobsNoLongerHeldAsync(string serverId, IReadOnlyList<string> jobIds, CancellationToken cancellationToken) => Inner.GetJobsNoLongerHeldAsync(serverId, jobIds, cancellationToken);

    public virtual Task<IAsyncDisposable> AcquireLockAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken) => Inner.AcquireLockAsync(resource, timeout, cancellationToken);

    public virtual Task<int> DeleteExpiredJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) => Inner.DeleteExpiredJobsAsync(now, batchSize, cancellationToken);

    public virtual Task AddOrUpdateRecurringJobAsync(RecurringJobDefinition definition, CancellationToken cancellationToken) => Inner.AddOrUpdateRecurringJobAsync(definition, cancellationToken);

    public virtual Task<bool> RemoveRecurringJobAsync(string id, CancellationToken cancellationToken) => Inner.RemoveRecurringJobAsync(id, cancellationToken);

    public virtual Task<RecurringJobRecord?> GetRecurringJobAsync(string id, CancellationToken cancellationToken) => Inner.GetRecurringJobAsync(id, cancellationToken);

    public virtual Task<bool> SetRecurringJobPausedAsync(string id, bool paused, DateTimeOffset? nextExecution, CancellationToken cancellationToken) => Inner.SetRecurringJobPausedAsync(id, paused, nextExecution, cancellationToken);

    public virtual Task<IReadOnlyList<RecurringJobRecord>> GetDueRecurringJobsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) => Inner.GetDueRecurringJobsAsync(now, limit, cancellationToken);

    public virtual Task<RecurringClaimResult> ClaimRecurringOccurrenceAsync(RecurringOccurrenceClaim claim, CancellationToken cancellationToken) => Inner.ClaimRecurringOccurrenceAsync(claim, cancellationToken);

    public virtual ValueTask DisposeAsync() => Inner.DisposeAsync();
}
