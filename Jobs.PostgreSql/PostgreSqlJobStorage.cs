using System.Globalization;
using Jobs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Polly;

namespace Jobs.PostgreSql;

/// <summary>
/// The PostgreSQL storage: every operation is one statement (CTEs) or one batch in one transaction, retried on
/// transient failures; enqueues notify listening servers through <c>pg_notify</c> in the same transaction.
/// </summary>
/// <remarks>
/// Job ids are <c>bigint</c> identities shown as strings; an id that is not a positive number names no job
/// (null / false, never an exception). A continuation (<see cref="States.AwaitingState"/>) whose parent does not
/// exist is a bad call: <see cref="CreateJobAsync"/> / <see cref="CreateJobsAsync"/> throw an <see cref="ArgumentException"/>
/// naming the parent and write nothing (as every storage does, see <see cref="IJobStorage.CreateJobAsync"/>). Counts per state,
/// per queue and the hourly / daily statistics are insert-only deltas in <c>counter</c>, folded into
/// <c>counter_total</c> by <see cref="EnqueueDueScheduledJobsAsync"/> and <see cref="DeleteExpiredJobsAsync"/>.
/// </remarks>
public sealed class PostgreSqlJobStorage : IJobStorage, ISynchronousJobCreation
{
    private const int CreateChunkSize = 5_000;

    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly PostgreSqlNotifier _notifier;
    private readonly PostgreSqlQueueAnnouncer _announcer;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private volatile bool _initialized;
    private int _disposed;

    /// <summary>Creations running now through the storage's own transactions (see <see cref="CreateAndAnnounceAsync"/>).</summary>
    private int _creationsInFlight;

    public PostgreSqlJobStorage(string connectionString, PostgreSqlStorageOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Options = options ?? new PostgreSqlStorageOptions();
        Options.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Jobs.PostgreSql");

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (Options.MaxAutoPrepare > 0 && builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = Options.MaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }

        // Every statement here is short and index-backed, but some estimates (recursive CTEs, LATERAL) pass
        // jit_above_cost: compiling then cost ~100 ms for a 1 ms query (the dashboard's queues query at 1 M jobs).
        // JIT stays off on the storage's sessions unless the connection string sets it.
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        }

        // Session state (advisory locks, LISTEN) lives only on connections of SessionDataSource. Every other connection
        // leaves nothing behind, so it is returned to the pool without the reset, which cost seven statements on the
        // next use of the connection (DISCARD ALL cannot be used: it would drop the prepared statements).
        var sessionBuilder = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        builder.NoResetOnClose = true;
        sessionBuilder.MaxAutoPrepare = 0;
        DataSource = NpgsqlDataSource.Create(builder);
        SessionDataSource = NpgsqlDataSource.Create(sessionBuilder);
        Schema = "\"" + Options.SchemaName + "\"";
        Channel = "jobs_" + Options.SchemaName;
        Queries = new PostgreSqlQueries(Schema, Channel);
        JobLogQueries = new PostgreSqlJobLogQueries(Schema);
        _pipeline = PostgreSqlResilience.Create(Options, TimeProvider, _logger);
        _notifier = new PostgreSqlNotifier(SessionDataSource, Channel, Options.NotificationReconnectDelay, TimeProvider, _logger);
        _announcer = new PostgreSqlQueueAnnouncer(DataSource, Queries, _logger);
        Monitoring = new PostgreSqlMonitoringApi(this);
    }

    public IMonitoringApi Monitoring { get; }

    /// <summary>The pool every operation uses.</summary>
    internal NpgsqlDataSource DataSource { get; }

    /// <summary>The pool of connections that keep session state (advisory locks, LISTEN): reset when returned.</summary>
    internal NpgsqlDataSource SessionDataSource { get; }

    /// <summary>The schema as a quoted identifier, ready to put in SQL (<c>"jobs"</c>).</summary>
    internal string Schema { get; }

    /// <summary>The LISTEN / NOTIFY channel of this schema.</summary>
    internal string Channel { get; }

    internal PostgreSqlStorageOptions Options { get; }

    internal TimeProvider TimeProvider { get; }

    internal PostgreSqlQueries Queries { get; }

    internal PostgreSqlJobLogQueries JobLogQueries { get; }

    internal ILogger Logger => _logger;

    internal PostgreSqlNotifier Notifier => _notifier;

    /// <summary>
    /// A storage whose <see cref="CreateJobAsync"/> and <see cref="CreateJobsAsync"/> write inside <paramref name="transaction"/>:
    /// the jobs exist (and servers are woken) only if the caller commits. Other operations use this storage.
    /// </summary>
    public IJobStorage InTransaction(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Connection is null)
        {
            throw new ArgumentException("The transaction is already completed.", nameof(transaction));
        }

        return new PostgreSqlTransactionalJobStorage(this, transaction);
    }

    /// <summary>
    /// Whether the schema holds every migration this version embeds (what <see cref="InitializeAsync"/> applies when
    /// <see cref="PostgreSqlStorageOptions.PrepareSchemaIfNecessary"/> is on). One query without retries, for health checks:
    /// an unreachable database throws <see cref="NpgsqlException"/> at once.
    /// </summary>
    public Task<PostgreSqlSchemaStatus> GetSchemaStatusAsync(CancellationToken cancellationToken) =>
        PostgreSqlMigrator.ReadStatusAsync(DataSource, Schema, Options.SchemaName, cancellationToken);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeGate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            if (Options.PrepareSchemaIfNecessary)
            {
                await _pipeline.ExecuteAsync(
                    async token => await PostgreSqlMigrator.MigrateAsync(DataSource, Schema, _logger, token),
                    cancellationToken);
            }

            _initialized = true;
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    public async Task<string> CreateJobAsync(NewJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ids = await CreateJobsAsync([job], cancellationToken);
        return ids[0];
    }

    public Task<IReadOnlyList<string>> CreateJobsAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        // One creation time for every attempt, so a retry finds jobs an earlier attempt committed (its answer lost)
        // instead of writing them twice.
        var now = TimeProvider.GetUtcNow();
        return CreateAndAnnounceAsync(jobs, now, async: true, cancellationToken);
    }

    /// <summary>The synchronous client calls come here: every round trip blocks the calling thread, none hops to the thread pool.</summary>
    IReadOnlyList<string> ISynchronousJobCreation.CreateJobs(IReadOnlyList<NewJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return [];
        }

        // Completed already unless the first call must create the schema or a retry waits out its delay.
        return CreateAndAnnounceAsync(jobs, TimeProvider.GetUtcNow(), async: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <remarks>
    /// A creation that no other creation of this storage overlaps notifies inside its own statement: one round trip,
    /// and the notification lock it holds until its commit is flushed is nobody else's wait here. Creations that do
    /// overlap commit without notifying, so they can share WAL flushes, and their queues are announced right after the
    /// commit (see <see cref="PostgreSqlQueueAnnouncer"/>). Either way the jobs are committed when this returns.
    /// </remarks>
    private async Task<IReadOnlyList<string>> CreateAndAnnounceAsync(IReadOnlyList<NewJob> jobs, DateTimeOffset now, bool async, CancellationToken cancellationToken)
    {
        var alone = Interlocked.Increment(ref _creationsInFlight) == 1;
        var enqueuedIn = alone ? null : new HashSet<string>(StringComparer.Ordinal);
        try
        {
            return await RunAsync(
                async,
                async (connection, isRetry, token) =>
                {
                    if (isRetry && await FindCreatedJobsAsync(connection, jobs, now, token, async) is { } existing)
                    {
                        // An earlier attempt committed them (its own notification with them, when it notified):
                        // announce every queue they may have gone to.
                        enqueuedIn?.UnionWith(jobs.Select(j => j.InitialState is States.EnqueuedState { Queue: { } named } ? named : j.Queue));
                        return existing;
                    }

                    if (jobs.Count <= CreateChunkSize)
                    {
                        return await CreateJobsOnAsync(connection, null, jobs, null, token, now, enqueuedIn, async);
                    }

                    var transaction = async ? await connection.BeginTransactionAsync(token) : connection.BeginTransaction();
                    try
                    {
                        var created = await CreateJobsOnAsync(connection, transaction, jobs, null, token, now, enqueuedIn, async);
                        if (async)
                        {
                            await transaction.CommitAsync(token);
                        }
                        else
                        {
                            transaction.Commit();
                        }

                        return created;
                    }
                    finally
                    {
                        if (async)
                        {
                            await transaction.DisposeAsync();
                        }
                        else
                        {
                            transaction.Dispose();
                        }
                    }
                },
                cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _creationsInFlight);
            if (enqueuedIn is { Count: > 0 })
            {
                _announcer.Announce(enqueuedIn);
            }
        }
    }

    /// <summary>The ids of <paramref name="jobs"/> when an earlier attempt created exactly them at <paramref name="now"/>; otherwise null.</summary>
    internal async Task<IReadOnlyList<string>?> FindCreatedJobsAsync(NpgsqlConnection connection, IReadOnlyList<NewJob> jobs, DateTimeOffset now, CancellationToken cancellationToken, bool async = true)
    {
        await using var command = new NpgsqlCommand(Queries.FindCreatedJobs, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", jobs.Count + 1));
        var ids = new List<string>(jobs.Count);
        await using var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
        while (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
        {
            if (ids.Count == jobs.Count)
            {
                return null;
            }

            var job = jobs[ids.Count].Invocation;
            if (reader.GetString(1) != job.Type || reader.GetString(2) != job.Method || reader.GetString(3) != job.Arguments)
            {
                return null;
            }

            ids.Add(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture));
        }

        return ids.Count == jobs.Count ? ids : null;
    }

    public Task<IReadOnlyList<FetchedJob>> FetchNextAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count <= 0 || request.Queues.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<FetchedJob>>([]);
        }

        // One time for every attempt: a retry also returns the jobs an earlier attempt claimed (same server, same time)
        // if that attempt committed but its answer was lost, so they are not stranded in Processing.
        var now = TimeProvider.GetUtcNow();
        return RunAsync((connection, isRetry, token) => FetchNextOnAsync(connection, request, now, isRetry, token), cancellationToken);
    }

    /// <summary>One fetch attempt; with <paramref name="isRetry"/> it also returns what an earlier attempt at <paramref name="now"/> claimed.</summary>
    internal async Task<IReadOnlyList<FetchedJob>> FetchNextOnAsync(NpgsqlConnection connection, FetchRequest request, DateTimeOffset now, bool isRetry, CancellationToken token)
    {
        // The claim commits without waiting for its WAL flush (synchronous_commit off for this transaction only):
        // if PostgreSQL crashed before the flush, the claim is undone and the job is simply Enqueued again, which
        // is what a crashed server's jobs become anyway. The outcome, stored later, is durable and flushes the
        // claim with it. This takes one disk flush off every fetch (pickup latency, drain rate).
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Queries.RelaxCommit));
        var command = new NpgsqlBatchCommand(Queries.FetchNext);
        batch.BatchCommands.Add(command);
        command.Parameters.Add(new NpgsqlParameter<bool>("is_retry", isRetry));
        command.Parameters.Add(new NpgsqlParameter<string[]>("queues", request.Queues.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int>("count", request.Count));
        command.Parameters.Add(new NpgsqlParameter<string>("server", request.ServerId));
        AddTimeParameters(command.Parameters, now);
        var fetched = new List<FetchedJob>(request.Count);
        await using (var reader = await batch.ExecuteReaderAsync(token))
        {
            await reader.NextResultAsync(token); // past the setting
            while (await reader.ReadAsync(token))
            {
                fetched.Add(new FetchedJob(
                    reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                    PostgreSqlReaders.ReadInvocation(reader, 1),
                    reader.GetString(5),
                    reader.GetInt32(6),
                    PostgreSqlReaders.ReadTime(reader, 7),
                    PostgreSqlReaders.ReadNullableTime(reader, 8) ?? PostgreSqlReaders.ReadTime(reader, 7),
                    PostgreSqlReaders.ReadNullableString(reader, 9)));
            }
        }

        // RETURNING has no order: restore queue priority, then age.
        var priority = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < request.Queues.Count; i++)
        {
            priority.TryAdd(request.Queues[i], i);
        }

        return fetched
            .OrderBy(j => priority.GetValueOrDefault(j.Queue, int.MaxValue))
            .ThenBy(j => long.Parse(j.Id, CultureInfo.InvariantCulture))
            .ToArray();
    }

    public async Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var results = new bool[changes.Count];

        // Changes to the same job in one batch are applied one after the other, in the order given.
        var rounds = new List<List<int>>();
        var seen = new Dictionary<long, int>();
        for (var i = 0; i < changes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(changes[i]);
            if (!PostgreSqlReaders.TryParseId(changes[i].JobId, out var id))
            {
                continue;
            }

            var round = seen.TryGetValue(id, out var count) ? count : 0;
            seen[id] = round + 1;
            if (rounds.Count == round)
            {
                rounds.Add([]);
            }

            rounds[round].Add(i);
        }

        foreach (var round in rounds)
        {
            // One time for every attempt, so that a retry recognizes what an earlier, committed attempt applied.
            var now = TimeProvider.GetUtcNow();
            var applied = await RunAsync((connection, isRetry, token) => ChangeStatesOnAsync(connection, changes, round, now, isRetry, token), cancellationToken);
            foreach (var index in applied)
            {
                results[index] = true;
            }
        }

        return results;
    }

    public Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!PostgreSqlReaders.TryParseId(jobId, out var id))
        {
            return Task.FromResult<StoredJob?>(null);
        }

        return RunAsync<StoredJob?>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.GetJob, connection);
                command.Parameters.Add(new NpgsqlParameter<long>("id", id));
                await using var reader = await command.ExecuteReaderAsync(token);
                if (!await reader.ReadAsync(token))
                {
                    return null;
                }

                return new StoredJob(
                    reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                    PostgreSqlReaders.ReadInvocation(reader, 1),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetInt32(7),
                    PostgreSqlReaders.ReadTime(reader, 8),
                    PostgreSqlReaders.ReadNullableString(reader, 9),
                    PostgreSqlReaders.ReadNullableString(reader, 10));
            },
            cancellationToken);
    }

    public async Task<int> EnqueueDueScheduledJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var moved = await RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.EnqueueDueScheduled, connection);
                command.Parameters.Add(new NpgsqlParameter<int>("batch", batchSize));
                AddTimeParameters(command.Parameters, now);
                await using var reader = await command.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                return (int)reader.GetInt64(0);
            },
            cancellationToken);

        // The scheduler runs often on one server at a time: a good moment to fold the counter deltas.
        await AggregateCountersAsync(cancellationToken);
        return moved;
    }

    /// <summary>
    /// Returns at once when one of the queues already holds an Enqueued job (so an enqueue that committed between the
    /// caller's empty fetch and this wait is not missed until the timeout); otherwise waits for a notification.
    /// </summary>
    public Task WaitForJobsAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        return _notifier.WaitAsync(queues, timeout, token => AnyEnqueuedAsync(queues, token), cancellationToken);
    }

    /// <summary>One look, without retries: when the database cannot answer, the wait (and its timeout) decides.</summary>
    private async Task<bool> AnyEnqueuedAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        if (queues.Count == 0)
        {
            return false;
        }

        try
        {
            await InitializeAsync(cancellationToken);
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(Queries.AnyEnqueued, connection);
            command.Parameters.Add(new NpgsqlParameter<string[]>("queues", queues.ToArray()));
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ObjectDisposedException)
        {
            // ObjectDisposedException: the storage is shutting down, which has woken the waiter already.
            Log.EnqueuedCheckFailed(_logger, ex);
            return false;
        }
    }

    public Task AnnounceServerAsync(ServerAnnouncement server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        return RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.AnnounceServer, connection);
                command.Parameters.Add(new NpgsqlParameter<string>("id", server.Id));
                command.Parameters.Add(new NpgsqlParameter<int>("workers", server.WorkerCount));
                command.Parameters.Add(new NpgsqlParameter<string[]>("queues", server.Queues.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("started", server.StartedAt.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", TimeProvider.GetUtcNow()));
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        return RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.Heartbeat, connection);
                command.Parameters.Add(new NpgsqlParameter<string>("id", serverId));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
                return await command.ExecuteNonQueryAsync(token) > 0;
            },
            cancellationToken);
    }

    public async Task<int> RemoveServerAsync(string serverId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        var (count, _) = await RequeueAsync(Queries.RemoveServer, p => p.Add(new NpgsqlParameter<string>("id", serverId)), reason ?? "removed", cancellationToken);
        if (count > 0)
        {
            Log.RequeuedServerJobs(_logger, count, serverId);
        }

        return count;
    }

    public async Task<IReadOnlyList<string>> RemoveTimedOutServersAsync(DateTimeOffset heartbeatCutoff, CancellationToken cancellationToken)
    {
        var (count, servers) = await RequeueAsync(
            Queries.RemoveTimedOutServers,
            p => p.Add(new NpgsqlParameter<DateTimeOffset>("cutoff", heartbeatCutoff.ToUniversalTime())),
            "heartbeat timed out",
            cancellationToken);
        if (count > 0)
        {
            Log.RequeuedServerJobs(_logger, count, string.Join(", ", servers));
        }

        return servers;
    }

    public async Task<IReadOnlyList<string>> GetJobsNoLongerHeldAsync(string serverId, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(jobIds);
        var numeric = new List<long>(jobIds.Count);
        foreach (var jobId in jobIds)
        {
            if (PostgreSqlReaders.TryParseId(jobId, out var id))
            {
                numeric.Add(id);
            }
        }

        var gone = numeric.Count == 0
            ? []
            : await RunAsync(
                async (connection, token) =>
                {
                    await using var command = new NpgsqlCommand(Queries.GetJobsNoLongerHeld, connection);
                    command.Parameters.Add(new NpgsqlParameter<long[]>("ids", numeric.ToArray()));
                    command.Parameters.Add(new NpgsqlParameter<string>("server", serverId));
                    var result = new HashSet<long>();
                    await using var reader = await command.ExecuteReaderAsync(token);
                    while (await reader.ReadAsync(token))
                    {
                        result.Add(reader.GetInt64(0));
                    }

                    return result;
                },
                cancellationToken);

        return jobIds.Where(j => !PostgreSqlReaders.TryParseId(j, out var id) || gone.Contains(id)).ToArray();
    }

    public async Task<IAsyncDisposable> AcquireLockAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        await InitializeAsync(cancellationToken);
        return await _pipeline.ExecuteAsync(
            async token => await PostgreSqlDistributedLock.AcquireAsync(
                SessionDataSource, Options.SchemaName, resource, timeout, Options.DistributedLockPollInterval, TimeProvider, _logger, token),
            cancellationToken);
    }

    public async Task<int> DeleteExpiredJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var deleted = await RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.DeleteExpired, connection);
                command.Parameters.Add(new NpgsqlParameter<int>("batch", batchSize));
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("oldest_statistics_day", TaskStatisticsDays.OldestKept(now, Options.TaskStatisticsRetention)));
                AddTimeParameters(command.Parameters, now);
                return (int)(long)(await command.ExecuteScalarAsync(token))!;
            },
            cancellationToken);
        await AggregateCountersAsync(cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Folds up to <see cref="PostgreSqlStorageOptions.CounterAggregationBatchSize"/> counter deltas into their totals
    /// (SKIP LOCKED: concurrent callers split the work). Returns how many deltas were folded.
    /// </summary>
    internal Task<int> AggregateCountersAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.AggregateCounters, connection);
                command.Parameters.Add(new NpgsqlParameter<int>("batch", Options.CounterAggregationBatchSize));
                return (int)(long)(await command.ExecuteScalarAsync(token))!;
            },
            cancellationToken);

    public Task AppendJobLogAsync(IReadOnlyList<JobLogAppend> appends, int maxLinesPerJob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLinesPerJob, 1);
        var jobIds = new List<long>();
        var times = new List<DateTimeOffset>();
        var levels = new List<short>();
        var messages = new List<string>();
        var dropJobIds = new List<long>();
        var dropCounts = new List<long>();
        foreach (var append in appends)
        {
            if (!PostgreSqlReaders.TryParseId(append.JobId, out var id))
            {
                continue;
            }

            foreach (var line in append.Lines)
            {
                jobIds.Add(id);
                times.Add(line.Time.ToUniversalTime());
                levels.Add((short)line.Level);

                // PostgreSQL text cannot hold NUL.
                messages.Add(line.Message.Contains('\0', StringComparison.Ordinal) ? line.Message.Replace('\0', '\uFFFD') : line.Message);
            }

            if (append.DroppedLines > 0)
            {
                dropJobIds.Add(id);
                dropCounts.Add(append.DroppedLines);
            }
        }

        if (jobIds.Count == 0 && dropJobIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        return RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(JobLogQueries.AppendLines, connection);
                command.Parameters.Add(new NpgsqlParameter<long[]>("job_ids", jobIds.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("times", times.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<short[]>("levels", levels.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<string[]>("messages", messages.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<long[]>("drop_job_ids", dropJobIds.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<long[]>("drop_counts", dropCounts.ToArray()));
                command.Parameters.Add(new NpgsqlParameter<int>("max", maxLinesPerJob));
                command.Parameters.Add(new NpgsqlParameter<short>("marker_level", (short)LogLevel.Warning));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", TimeProvider.GetUtcNow().ToUniversalTime()));
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task AddOrUpdateRecurringJobAsync(RecurringJobDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Id);
        return RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.AddOrUpdateRecurring, connection);
                var p = command.Parameters;
                p.Add(new NpgsqlParameter<string>("id", definition.Id));
                p.Add(new NpgsqlParameter<string>("type", definition.Invocation.Type));
                p.Add(new NpgsqlParameter<string>("method", definition.Invocation.Method));
                p.Add(new NpgsqlParameter<string[]>("ptypes", definition.Invocation.ParameterTypes.ToArray()));
                p.Add(new NpgsqlParameter<string>("args", definition.Invocation.Arguments));
                p.Add(new NpgsqlParameter<string>("cron", definition.Cron));
                p.Add(new NpgsqlParameter<string>("tz", definition.TimeZoneId));
                p.Add(new NpgsqlParameter<string>("queue", definition.Queue));
                p.Add(new NpgsqlParameter<short>("misfire", (short)definition.Misfire));
                p.Add(new NpgsqlParameter<bool>("overlap", definition.AllowOverlap));
                p.Add(NullableTime("next", definition.NextExecution));
                p.Add(new NpgsqlParameter<DateTimeOffset>("now", TimeProvider.GetUtcNow()));
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task<bool> RemoveRecurringJobAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.RemoveRecurring, connection);
                command.Parameters.Add(new NpgsqlParameter<string>("id", id));
                return await command.ExecuteNonQueryAsync(token) > 0;
            },
            cancellationToken);
    }

    public Task<RecurringJobRecord?> GetRecurringJobAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync<RecurringJobRecord?>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.GetRecurring, connection);
                command.Parameters.Add(new NpgsqlParameter<string>("id", id));
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? PostgreSqlReaders.ReadRecurringJob(reader) : null;
            },
            cancellationToken);
    }

    public Task<bool> SetRecurringJobPausedAsync(string id, bool paused, DateTimeOffset? nextExecution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.SetRecurringPaused, connection);
                command.Parameters.Add(new NpgsqlParameter<string>("id", id));
                command.Parameters.Add(new NpgsqlParameter<bool>("paused", paused));
                command.Parameters.Add(NullableTime("next", nextExecution));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", TimeProvider.GetUtcNow()));
                return await command.ExecuteNonQueryAsync(token) > 0;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<RecurringJobRecord>> GetDueRecurringJobsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<RecurringJobRecord>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(Queries.GetDueRecurring, connection);
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
                var records = new List<RecurringJobRecord>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    records.Add(PostgreSqlReaders.ReadRecurringJob(reader));
                }

                return records;
            },
            cancellationToken);

    public Task<RecurringClaimResult> ClaimRecurringOccurrenceAsync(RecurringOccurrenceClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return RunAsync(
            async (connection, token) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(token);
                bool claimed;
                string? lastJobState = null;
                await using (var command = new NpgsqlCommand(Queries.ClaimRecurring, connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter<string>("id", claim.RecurringJobId));
                    command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("expected", claim.ExpectedNextExecution.ToUniversalTime()));
                    command.Parameters.Add(NullableTime("next", claim.NewNextExecution));
                    await using var reader = await command.ExecuteReaderAsync(token);
                    claimed = await reader.ReadAsync(token);
                    if (claimed)
                    {
                        lastJobState = PostgreSqlReaders.ReadNullableString(reader, 1);
                    }
                }

                if (!claimed)
                {
                    await transaction.RollbackAsync(token);
                    return new RecurringClaimResult(RecurringClaimOutcome.LostRace);
                }

                string? skipReason = null;
                if (claim.Job is null)
                {
                    skipReason = claim.SkipReason ?? "Occurrence skipped";
                }
                else if (claim.SkipIfPreviousRunning && lastJobState is "Enqueued" or "Processing" or "Scheduled")
                {
                    skipReason = $"The previous run is still {lastJobState!.ToLowerInvariant()}";
                }

                if (skipReason is not null)
                {
                    await using var skip = new NpgsqlCommand(Queries.RecordRecurringSkip, connection, transaction);
                    skip.Parameters.Add(new NpgsqlParameter<string>("id", claim.RecurringJobId));
                    skip.Parameters.Add(new NpgsqlParameter<string>("reason", skipReason));
                    skip.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", claim.ClaimedAt.ToUniversalTime()));
                    await skip.ExecuteNonQueryAsync(token);
                    await transaction.CommitAsync(token);
                    return new RecurringClaimResult(RecurringClaimOutcome.Skipped, Reason: skipReason);
                }

                var job = claim.Job! with { RecurringJobId = claim.RecurringJobId };
                var ids = await CreateJobsOnAsync(connection, transaction, [job], claim.ClaimedAt, token);
                await transaction.CommitAsync(token);
                return new RecurringClaimResult(RecurringClaimOutcome.Created, ids[0]);
            },
            cancellationToken);
    }

    /// <summary>Wakes waiting servers, stops listening and closes the pool; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _announcer.DisposeAsync();
        await _notifier.DisposeAsync();
        await DataSource.DisposeAsync();
        await SessionDataSource.DisposeAsync();
        _initializeGate.Dispose();
    }

    /// <summary>Writes jobs on a connection (inside <paramref name="transaction"/> when given); ids in the order given.</summary>
    /// <param name="lastExecution">The recurring job's last run time to record (default: now).</param>
    internal async Task<IReadOnlyList<string>> CreateJobsOnAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        IReadOnlyList<NewJob> jobs,
        DateTimeOffset? lastExecution,
        CancellationToken cancellationToken,
        DateTimeOffset? createdAt = null,
        ISet<string>? announceLater = null,
        bool async = true)
    {
        if (jobs is [{ InitialState: not States.AwaitingState, RecurringJobId: null } plain])
        {
            var now = (createdAt ?? TimeProvider.GetUtcNow()).ToUniversalTime();
            return [await CreatePlainJobOnAsync(connection, transaction, plain, now, announceLater, async, cancellationToken)];
        }

        var ids = new List<string>(jobs.Count);
        for (var start = 0; start < jobs.Count; start += CreateChunkSize)
        {
            var count = Math.Min(CreateChunkSize, jobs.Count - start);
            var now = (createdAt ?? TimeProvider.GetUtcNow()).ToUniversalTime();
            var types = new string[count];
            var methods = new string[count];
            var parameterTypes = new string[count];
            var arguments = new string[count];
            var queues = new string[count];
            var states = new string[count];
            var reasons = new string?[count];
            var data = new string[count];
            var scheduled = new DateTime?[count];
            var parents = new string?[count];
            var continuationOptions = new short?[count];
            var recurring = new string?[count];
            for (var i = 0; i < count; i++)
            {
                var job = jobs[start + i];
                ArgumentNullException.ThrowIfNull(job);
                States.QueueNames.Validate(job.Queue);
                var state = job.InitialState;
                types[i] = job.Invocation.Type;
                methods[i] = job.Invocation.Method;
                parameterTypes[i] = PostgreSqlReaders.JoinParameterTypes(job.Invocation.ParameterTypes);
                arguments[i] = job.Invocation.Arguments;
                queues[i] = state is States.EnqueuedState { Queue: { } named } ? named : job.Queue;
                states[i] = state.Name;
                reasons[i] = state.Reason;
                data[i] = PostgreSqlReaders.SerializeData(state.SerializeData());
                scheduled[i] = state is States.ScheduledState s ? s.EnqueueAt.UtcDateTime : null;
                if (state is States.AwaitingState awaiting)
                {
                    parents[i] = awaiting.ParentId;
                    continuationOptions[i] = (short)awaiting.Options;
                }

                recurring[i] = job.RecurringJobId;
            }

            await using var command = new NpgsqlCommand(announceLater is null ? Queries.CreateJobs : Queries.CreateJobsUnannounced, connection, transaction);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<string[]>("type", types));
            p.Add(new NpgsqlParameter<string[]>("method", methods));
            p.Add(new NpgsqlParameter<string[]>("ptypes", parameterTypes));
            p.Add(new NpgsqlParameter<string[]>("args", arguments));
            p.Add(new NpgsqlParameter<string[]>("queue", queues));
            p.Add(new NpgsqlParameter<string[]>("state", states));
            p.Add(new NpgsqlParameter<string?[]>("reason", reasons));
            p.Add(new NpgsqlParameter<string[]>("data", data));
            p.Add(new NpgsqlParameter("scheduled", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = scheduled });
            p.Add(new NpgsqlParameter<string?[]>("parent", parents));
            p.Add(new NpgsqlParameter("copt", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = continuationOptions });
            p.Add(new NpgsqlParameter<string?[]>("rec", recurring));
            p.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            p.Add(new NpgsqlParameter<DateTimeOffset>("expire", now + Options.JobRetention));
            p.Add(new NpgsqlParameter<DateTimeOffset>("last_execution", (lastExecution ?? now).ToUniversalTime()));
            AddBucketParameters(p, now);
            var missingParents = new List<string>();
            var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
            try
            {
                while (async ? await reader.ReadAsync(cancellationToken) : reader.Read())
                {
                    if (!reader.IsDBNull(1))
                    {
                        missingParents.Add(reader.GetString(1));
                    }
                    else if (missingParents.Count == 0)
                    {
                        ids.Add(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture));
                        if (announceLater is not null && !reader.IsDBNull(2))
                        {
                            announceLater.Add(reader.GetString(2));
                        }
                    }
                }
            }
            finally
            {
                if (async)
                {
                    await reader.DisposeAsync();
                }
                else
                {
                    reader.Dispose();
                }
            }

            if (missingParents.Count > 0)
            {
                // The statement wrote nothing of this chunk (and an own transaction rolls back earlier chunks).
                throw MissingParents(missingParents, nameof(jobs));
            }
        }

        return ids;
    }

    /// <summary>One job with <see cref="PostgreSqlQueries.CreatePlainJob"/>: the client's Enqueue and Schedule.</summary>
    private async Task<string> CreatePlainJobOnAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        NewJob job,
        DateTimeOffset now,
        ISet<string>? announceLater,
        bool async,
        CancellationToken cancellationToken)
    {
        States.QueueNames.Validate(job.Queue);
        var state = job.InitialState;
        await using var command = new NpgsqlCommand(announceLater is null ? Queries.CreatePlainJob : Queries.CreatePlainJobUnannounced, connection, transaction);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Invocation.Type });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Invocation.Method });
        p.Add(new NpgsqlParameter<string> { TypedValue = PostgreSqlReaders.JoinParameterTypes(job.Invocation.ParameterTypes) });
        p.Add(new NpgsqlParameter<string> { TypedValue = job.Invocation.Arguments });
        p.Add(new NpgsqlParameter<string> { TypedValue = state is States.EnqueuedState { Queue: { } named } ? named : job.Queue });
        p.Add(new NpgsqlParameter<string> { TypedValue = state.Name });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)state.Reason ?? DBNull.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = PostgreSqlReaders.SerializeData(state.SerializeData()) });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = state is States.ScheduledState scheduled ? scheduled.EnqueueAt.UtcDateTime : (object)DBNull.Value });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + Options.JobRetention });
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken) : command.ExecuteReader();
        try
        {
            if (!(async ? await reader.ReadAsync(cancellationToken) : reader.Read()))
            {
                throw new InvalidOperationException("Creating a job returned no row.");
            }

            if (announceLater is not null && !reader.IsDBNull(1))
            {
                announceLater.Add(reader.GetString(1));
            }

            return reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        }
        finally
        {
            if (async)
            {
                await reader.DisposeAsync();
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Runs an operation on a pooled connection through the retry pipeline, after the schema is ready.</summary>
    internal Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync((connection, _, token) => operation(connection, token), cancellationToken);

    /// <inheritdoc cref="RunAsync{T}(bool, Func{NpgsqlConnection, bool, CancellationToken, Task{T}}, CancellationToken)"/>
    internal Task<T> RunAsync<T>(Func<NpgsqlConnection, bool, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(async: true, operation, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{T}(Func{NpgsqlConnection, CancellationToken, Task{T}}, CancellationToken)"/>, telling the
    /// operation whether it is a retry: an earlier attempt may have committed although its answer was lost.
    /// </summary>
    /// <param name="async">False: the connection is opened and closed with blocking I/O (the operation must block too), so the
    /// returned task has completed already unless the schema is still being created or a retry waits.</param>
    internal async Task<T> RunAsync<T>(bool async, Func<NpgsqlConnection, bool, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var attempts = 0;
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                var isRetry = attempts++ > 0;
                var connection = async ? await DataSource.OpenConnectionAsync(token) : DataSource.OpenConnection();
                try
                {
                    return await operation(connection, isRetry, token);
                }
                finally
                {
                    if (async)
                    {
                        await connection.DisposeAsync();
                    }
                    else
                    {
                        connection.Dispose();
                    }
                }
            },
            cancellationToken);
    }

    /// <summary>One attempt at one round of changes (distinct jobs); with <paramref name="isRetry"/>, changes an earlier attempt at <paramref name="now"/> committed count as applied.</summary>
    internal async Task<List<int>> ChangeStatesOnAsync(
        NpgsqlConnection connection,
        IReadOnlyList<StateChange> changes,
        List<int> indexes,
        DateTimeOffset now,
        bool isRetry,
        CancellationToken cancellationToken)
    {
        var count = indexes.Count;
        var ids = new long[count];
        var expected = new string?[count];
        var expectedServers = new string?[count];
        var states = new string[count];
        var reasons = new string?[count];
        var data = new string[count];
        var queues = new string?[count];
        var scheduled = new DateTime?[count];
        var servers = new string?[count];
        var retries = new int?[count];
        var parents = new string?[count];
        var continuationOptions = new short?[count];
        var finalParents = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var change = changes[indexes[i]];
            var state = change.NewState;
            ArgumentNullException.ThrowIfNull(state);
            PostgreSqlReaders.TryParseId(change.JobId, out ids[i]);
            expected[i] = change.ExpectedStates is null ? null : string.Join(',', change.ExpectedStates);
            expectedServers[i] = change.ExpectedServerId;
            states[i] = state.Name;
            reasons[i] = state.Reason;
            data[i] = PostgreSqlReaders.SerializeData(state.SerializeData());
            queues[i] = state is States.EnqueuedState enqueued ? enqueued.Queue : null;
            scheduled[i] = state is States.ScheduledState s ? s.EnqueueAt.UtcDateTime : null;
            servers[i] = state is States.ProcessingState processing ? processing.ServerId : null;
            retries[i] = change.RetryCount;
            if (state is States.AwaitingState awaiting)
            {
                parents[i] = awaiting.ParentId;
                continuationOptions[i] = (short)awaiting.Options;

                // A parent that has already finished moves the continuation on at once, as at creation.
                if (PostgreSqlReaders.TryParseId(awaiting.ParentId, out var parentId))
                {
                    finalParents.Add(parentId);
                }
            }

            if (state.Name is States.SucceededState.StateName or States.DeletedState.StateName)
            {
                finalParents.Add(ids[i]);
            }
        }

        await using var batch = new NpgsqlBatch(connection);
        var change1 = new NpgsqlBatchCommand(Queries.ChangeStates);
        var p = change1.Parameters;
        p.Add(new NpgsqlParameter<long[]>("id", ids));
        p.Add(new NpgsqlParameter<string?[]>("expected", expected));
        p.Add(new NpgsqlParameter<string?[]>("expected_server", expectedServers));
        p.Add(new NpgsqlParameter<string[]>("state", states));
        p.Add(new NpgsqlParameter<string?[]>("reason", reasons));
        p.Add(new NpgsqlParameter<string[]>("data", data));
        p.Add(new NpgsqlParameter<string?[]>("queue", queues));
        p.Add(new NpgsqlParameter("scheduled", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = scheduled });
        p.Add(new NpgsqlParameter<string?[]>("server", servers));
        p.Add(new NpgsqlParameter("retry", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = retries });
        p.Add(new NpgsqlParameter<string?[]>("parent", parents));
        p.Add(new NpgsqlParameter("copt", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = continuationOptions });
        p.Add(new NpgsqlParameter<bool>("is_retry", isRetry));
        AddTimeParameters(p, now);
        batch.BatchCommands.Add(change1);

        if (finalParents.Count > 0)
        {
            var release = new NpgsqlBatchCommand(Queries.ReleaseContinuations);
            release.Parameters.Add(new NpgsqlParameter<long[]>("parents", finalParents.ToArray()));
            AddTimeParameters(release.Parameters, now);
            batch.BatchCommands.Add(release);
        }

        // Several statements without an explicit transaction run in one implicit transaction.
        var applied = new HashSet<int>();
        var missingParents = new List<string>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(2))
                {
                    applied.Add(indexes[(int)reader.GetInt64(0) - 1]);
                }
                else
                {
                    missingParents.Add(reader.GetString(2));
                }
            }

            while (await reader.NextResultAsync(cancellationToken))
            {
                // drain the continuation statement
            }
        }

        if (missingParents.Count > 0)
        {
            // The statement applied nothing of this round.
            throw MissingParents(missingParents, nameof(changes));
        }

        return [.. applied];
    }

    private async Task<(int Count, IReadOnlyList<string> Servers)> RequeueAsync(string sql, Action<NpgsqlParameterCollection> addParameters, string reason, CancellationToken cancellationToken) =>
        await RunAsync<(int, IReadOnlyList<string>)>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                addParameters(command.Parameters);
                command.Parameters.Add(new NpgsqlParameter<string>("reason", reason));
                AddTimeParameters(command.Parameters, TimeProvider.GetUtcNow());
                await using var reader = await command.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                var count = (int)reader.GetInt64(0);
                var servers = reader.IsDBNull(2) ? [] : reader.GetFieldValue<string[]>(2);
                return (count, servers);
            },
            cancellationToken);

    /// <summary>@now, @now_text, @expire and the counter buckets @hour and @day.</summary>
    private void AddTimeParameters(NpgsqlParameterCollection parameters, DateTimeOffset now)
    {
        now = now.ToUniversalTime();
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        parameters.Add(new NpgsqlParameter<string>("now_text", now.ToString("O", CultureInfo.InvariantCulture)));
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("expire", now + Options.JobRetention));
        AddBucketParameters(parameters, now);
    }

    private static void AddBucketParameters(NpgsqlParameterCollection parameters, DateTimeOffset now)
    {
        parameters.Add(new NpgsqlParameter<string>("hour", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture)));
        parameters.Add(new NpgsqlParameter<string>("day", now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    private static ArgumentException MissingParents(List<string> parents, string parameterName)
    {
        var distinct = parents.Distinct(StringComparer.Ordinal).ToList();
        return new ArgumentException(
            distinct.Count == 1
                ? $"The parent job '{distinct[0]}' of the continuation does not exist (it may have expired)."
                : $"The parent jobs {string.Join(", ", distinct.Select(p => $"'{p}'"))} of the continuations do not exist (they may have expired).",
            parameterName);
    }

    private static NpgsqlParameter NullableTime(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };
}
