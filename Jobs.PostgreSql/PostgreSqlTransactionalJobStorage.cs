using Jobs.Storage;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>
/// A view of a <see cref="PostgreSqlJobStorage"/> that creates jobs inside the caller's transaction: they (and
/// the wake-up of servers) exist only once it commits. Not retried: a failure belongs to the caller's transaction.
/// Every other operation goes to the storage itself.
/// </summary>
internal sealed class PostgreSqlTransactionalJobStorage : IJobStorage
{
    private readonly PostgreSqlJobStorage _storage;
    private readonly NpgsqlTransaction _transaction;

    public PostgreSqlTransactionalJobStorage(PostgreSqlJobStorage storage, NpgsqlTransaction transaction)
    {
        _storage = storage;
        _transaction = transaction;
    }

    public IMonitoringApi Monitoring => _storage.Monitoring;

    public Task InitializeAsync(CancellationToken cancellationToken) => _storage.InitializeAsync(cancellationToken);

    public async Task<string> CreateJobAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ids = await CreateJobsAsync([job], cancellationToken);
        return ids[0];
    }

    public async Task<IReadOnlyList<string>> CreateJobsAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var connection = _transaction.Connection
            ?? throw new InvalidOperationException("The transaction the jobs were to be created in is already committed or rolled back.");
        await _storage.InitializeAsync(cancellationToken);
        return await _storage.CreateJobsOnAsync(connection, _transaction, jobs, null, cancellationToken);
    }

    public Task<IReadOnlyList<FetchedJob>> FetchNextAsync(FetchRequest request, CancellationToken cancellationToken) =>
        _storage.FetchNextAsync(request, cancellationToken);

    public Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken) =>
        _storage.ChangeStatesAsync(changes, cancellationToken);

    public Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        _storage.GetJobAsync(jobId, cancellationToken);

    public Task<int> EnqueueDueScheduledJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        _storage.EnqueueDueScheduledJobsAsync(now, batchSize, cancellationToken);

    public Task WaitForJobsAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken) =>
        _storage.WaitForJobsAsync(queues, timeout, cancellationToken);

    public Task AnnounceServerAsync(ServerAnnouncement server, CancellationToken cancellationToken) =>
        _storage.AnnounceServerAsync(server, cancellationToken);

    public Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken) =>
        _storage.HeartbeatAsync(serverId, now, cancellationToken);

    public Task<int> RemoveServerAsync(string serverId, string reason, CancellationToken cancellationToken) =>
        _storage.RemoveServerAsync(serverId, reason, cancellationToken);

    public Task<IReadOnlyList<string>> RemoveTimedOutServersAsync(DateTimeOffset heartbeatCutoff, CancellationToken cancellationToken) =>
        _storage.RemoveTimedOutServersAsync(heartbeatCutoff, cancellationToken);

    public Task<IReadOnlyList<string>> GetJobsNoLongerHeldAsync(string serverId, IReadOnlyList<string> jobIds, CancellationToken cancellationToken) =>
        _storage.GetJobsNoLongerHeldAsync(serverId, jobIds, cancellationToken);

    public Task<IAsyncDisposable> AcquireLockAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken) =>
        _storage.AcquireLockAsync(resource, timeout, cancellationToken);

    public Task<int> DeleteExpiredJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        _storage.DeleteExpiredJobsAsync(now, batchSize, cancellationToken);

    public Task AppendJobLogAsync(IReadOnlyList<JobLogAppend> appends, int maxLinesPerJob, CancellationToken cancellationToken) =>
        _storage.AppendJobLogAsync(appends, maxLinesPerJob, cancellationToken);

    public Task AddOrUpdateRecurringJobAsync(RecurringJobDefinition definition, CancellationToken cancellationToken) =>
        _storage.AddOrUpdateRecurringJobAsync(definition, cancellationToken);

    public Task<bool> RemoveRecurringJobAsync(string id, CancellationToken cancellationToken) =>
        _storage.RemoveRecurringJobAsync(id, cancellationToken);

    public Task<RecurringJobRecord?> GetRecurringJobAsync(string id, CancellationToken cancellationToken) =>
        _storage.GetRecurringJobAsync(id, cancellationToken);

    public Task<bool> SetRecurringJobPausedAsync(string id, bool paused, DateTimeOffset? nextExecution, CancellationToken cancellationToken) =>
        _storage.SetRecurringJobPausedAsync(id, paused, nextExecution, cancellationToken);

    public Task<IReadOnlyList<RecurringJobRecord>> GetDueRecurringJobsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _storage.GetDueRecurringJobsAsync(now, limit, cancellationToken);

    public Task<RecurringClaimResult> ClaimRecurringOccurrenceAsync(RecurringOccurrenceClaim claim, CancellationToken cancellationToken) =>
        _storage.ClaimRecurringOccurrenceAsync(claim, cancellationToken);

    /// <summary>Owns nothing: the storage and the caller's transaction live on.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
