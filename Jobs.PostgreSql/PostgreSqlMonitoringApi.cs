using System.Globalization;
using Jobs.Common;
using Jobs.Storage;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>The dashboard's read side over the PostgreSQL schema (see <c>Migrations/001_initial.sql</c>).</summary>
internal sealed class PostgreSqlMonitoringApi : IMonitoringApi
{
    private const string SummaryColumns =
        "j.id, j.type, j.method, j.queue, j.state, j.state_reason, j.created_at, j.state_changed_at, j.state_data::text, j.retry_count, j.recurring_job_id";

    private readonly PostgreSqlJobStorage _storage;

    public PostgreSqlMonitoringApi(PostgreSqlJobStorage storage)
    {
        _storage = storage;
    }

    private string S => _storage.Schema;

    public Task<JobStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        _storage.RunAsync(
            async (connection, token) =>
            {
                var sql = $"""
                    WITH totals AS (
                      SELECT key, sum(value)::bigint AS value FROM (
                        SELECT key, value FROM {S}.counter_total WHERE key LIKE 'state:%' OR key LIKE 'queue:%' OR key = 'retries'
                        UNION ALL
                        SELECT key, value FROM {S}.counter WHERE key LIKE 'state:%' OR key LIKE 'queue:%' OR key = 'retries'
                      ) c GROUP BY key
                    )
                    SELECT key, value FROM totals
                    UNION ALL SELECT 'servers', count(*) FROM {S}.server
                    UNION ALL SELECT 'recurring', count(*) FROM {S}.recurring_job
                    """;
                await using var command = new NpgsqlCommand(sql, connection);
                var values = new Dictionary<string, long>(StringComparer.Ordinal);
                long queues = 0;
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    var key = reader.GetString(0);
                    var value = reader.GetInt64(1);
                    if (key.StartsWith("queue:", StringComparison.Ordinal))
                    {
                        queues += value > 0 ? 1 : 0;
                    }
                    else
                    {
                        values[key] = value;
                    }
                }

                long Get(string key) => values.GetValueOrDefault(key);
                return new JobStatistics(
                    Get("state:Enqueued"),
                    Get("state:Scheduled"),
                    Get("state:Awaiting"),
                    Get("state:Processing"),
                    Get("state:Succeeded"),
                    Get("state:Failed"),
                    Get("state:Deleted"),
                    Get("retries"),
                    Get("servers"),
                    Get("recurring"),
                    queues);
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetJobsAsync(string stateName, int skip, int take, CancellationToken cancellationToken) =>
        QuerySummariesAsync(
            $"SELECT {SummaryColumns} FROM {S}.job j WHERE j.state = @state ORDER BY j.state_changed_at DESC, j.id DESC OFFSET @skip LIMIT @take",
            p =>
            {
                p.Add(new NpgsqlParameter<string>("state", States.StateNames.Normalize(stateName) ?? stateName));
                p.Add(new NpgsqlParameter<int>("skip", Math.Max(0, skip)));
                p.Add(new NpgsqlParameter<int>("take", Math.Max(0, take)));
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetRetriesAsync(int skip, int take, CancellationToken cancellationToken) =>
        QuerySummariesAsync(
            $"SELECT {SummaryColumns} FROM {S}.job j WHERE j.state = 'Scheduled' AND j.retry_count > 0 ORDER BY j.scheduled_at, j.id OFFSET @skip LIMIT @take",
            p =>
            {
                p.Add(new NpgsqlParameter<int>("skip", Math.Max(0, skip)));
                p.Add(new NpgsqlParameter<int>("take", Math.Max(0, take)));
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetEnqueuedJobsAsync(string queue, int skip, int take, CancellationToken cancellationToken) =>
        QuerySummariesAsync(
            $"SELECT {SummaryColumns} FROM {S}.job j WHERE j.state = 'Enqueued' AND j.queue = @queue ORDER BY j.id OFFSET @skip LIMIT @take",
            p =>
            {
                p.Add(new NpgsqlParameter<string>("queue", queue));
                p.Add(new NpgsqlParameter<int>("skip", Math.Max(0, skip)));
                p.Add(new NpgsqlParameter<int>("take", Math.Max(0, take)));
            },
            cancellationToken);

    public Task<JobDetails?> GetJobDetailsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!PostgreSqlReaders.TryParseId(jobId, out var id))
        {
            return Task.FromResult<JobDetails?>(null);
        }

        return _storage.RunAsync<JobDetails?>(
            async (connection, token) =>
            {
                await using var batch = new NpgsqlBatch(connection);
                var job = new NpgsqlBatchCommand(
                    $"SELECT {SummaryColumns}, j.parameter_types, j.arguments, j.parent_id, j.expire_at, j.server_id FROM {S}.job j WHERE j.id = @id");
                job.Parameters.Add(new NpgsqlParameter<long>("id", id));
                var history = new NpgsqlBatchCommand(
                    $"SELECT state, reason, created_at, data::text FROM {S}.job_history WHERE job_id = @id ORDER BY id DESC");
                history.Parameters.Add(new NpgsqlParameter<long>("id", id));
                var continuations = new NpgsqlBatchCommand($"SELECT id FROM {S}.job WHERE parent_id = @id ORDER BY id");
                continuations.Parameters.Add(new NpgsqlParameter<long>("id", id));
                batch.BatchCommands.Add(job);
                batch.BatchCommands.Add(history);
                batch.BatchCommands.Add(continuations);

                await using var reader = await batch.ExecuteReaderAsync(token);
                if (!await reader.ReadAsync(token))
                {
                    return null;
                }

                var summary = ReadSummary(reader);
                var invocation = new InvocationData(reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(11), reader.GetString(12));
                var parentId = PostgreSqlReaders.ReadNullableId(reader, 13);
                var expireAt = PostgreSqlReaders.ReadNullableTime(reader, 14);
                var serverId = PostgreSqlReaders.ReadNullableString(reader, 15);

                await reader.NextResultAsync(token);
                var entries = new List<StateHistoryEntry>();
                while (await reader.ReadAsync(token))
                {
                    entries.Add(new StateHistoryEntry(
                        reader.GetString(0),
                        PostgreSqlReaders.ReadNullableString(reader, 1),
                        PostgreSqlReaders.ReadTime(reader, 2),
                        PostgreSqlReaders.ParseData(reader.GetString(3))));
                }

                await reader.NextResultAsync(token);
                var children = new List<string>();
                while (await reader.ReadAsync(token))
                {
                    children.Add(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture));
                }

                return new JobDetails(summary, invocation, entries, parentId, children, expireAt, serverId);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(int firstJobsPerQueue, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<QueueSummary>>(
            async (connection, token) =>
            {
                var sql = $"""
                    WITH lengths AS (
                      SELECT substr(key, 7) AS queue, sum(value)::bigint AS length FROM (
                        SELECT key, value FROM {S}.counter_total WHERE key LIKE 'queue:%'
                        UNION ALL
                        SELECT key, value FROM {S}.counter WHERE key LIKE 'queue:%'
                      ) c GROUP BY key
                    ),
                    names AS (
                      SELECT queue FROM lengths WHERE length > 0
                      UNION SELECT unnest(queues) FROM {S}.server
                    )
                    SELECT n.queue, coalesce(l.length, 0) FROM names n LEFT JOIN lengths l ON l.queue = n.queue ORDER BY n.queue
                    """;
                var queues = new List<(string Name, long Length)>();
                await using (var command = new NpgsqlCommand(sql, connection))
                await using (var reader = await command.ExecuteReaderAsync(token))
                {
                    while (await reader.ReadAsync(token))
                    {
                        queues.Add((reader.GetString(0), reader.GetInt64(1)));
                    }
                }

                var result = new List<QueueSummary>(queues.Count);
                foreach (var (name, length) in queues)
                {
                    var first = firstJobsPerQueue > 0 && length > 0
                        ? await GetEnqueuedJobsAsync(name, 0, firstJobsPerQueue, token)
                        : [];
                    result.Add(new QueueSummary(name, length, first));
                }

                return result;
            },
            cancellationToken);

    public Task<IReadOnlyList<ServerRecord>> GetServersAsync(CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<ServerRecord>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT id, worker_count, queues, started_at, last_heartbeat FROM {S}.server ORDER BY id", connection);
                var servers = new List<ServerRecord>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    servers.Add(new ServerRecord(
                        reader.GetString(0),
                        reader.GetInt32(1),
                        reader.GetFieldValue<string[]>(2),
                        PostgreSqlReaders.ReadTime(reader, 3),
                        PostgreSqlReaders.ReadTime(reader, 4)));
                }

                return servers;
            },
            cancellationToken);

    public Task<IReadOnlyList<RecurringJobRecord>> GetRecurringJobsAsync(CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<RecurringJobRecord>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT {_storage.Queries.RecurringColumns} FROM {S}.recurring_job r LEFT JOIN {S}.job j ON j.id = r.last_job_id ORDER BY r.id",
                    connection);
                var records = new List<RecurringJobRecord>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    records.Add(PostgreSqlReaders.ReadRecurringJob(reader));
                }

                return records;
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetRecurringJobRunsAsync(string recurringJobId, int take, CancellationToken cancellationToken) =>
        QuerySummariesAsync(
            $"SELECT {SummaryColumns} FROM {S}.job j WHERE j.recurring_job_id = @rec ORDER BY j.id DESC LIMIT @take",
            p =>
            {
                p.Add(new NpgsqlParameter<string>("rec", recurringJobId));
                p.Add(new NpgsqlParameter<int>("take", Math.Max(0, take)));
            },
            cancellationToken);

    public Task<IReadOnlyList<TimelinePoint>> GetHourlyTimelineAsync(DateTimeOffset until, int hours, CancellationToken cancellationToken)
    {
        var end = until.ToUniversalTime();
        var last = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, 0, 0, TimeSpan.Zero);
        var starts = Enumerable.Range(0, Math.Max(0, hours)).Select(i => last.AddHours(i - hours + 1)).ToArray();
        return TimelineAsync(starts, "hour", "yyyy-MM-dd'T'HH", cancellationToken);
    }

    public Task<IReadOnlyList<TimelinePoint>> GetDailyTimelineAsync(DateTimeOffset until, int days, CancellationToken cancellationToken)
    {
        var end = until.ToUniversalTime();
        var last = new DateTimeOffset(end.Year, end.Month, end.Day, 0, 0, 0, TimeSpan.Zero);
        var starts = Enumerable.Range(0, Math.Max(0, days)).Select(i => last.AddDays(i - days + 1)).ToArray();
        return TimelineAsync(starts, "day", "yyyy-MM-dd", cancellationToken);
    }

    public Task<IReadOnlyList<JobSummary>> SearchJobsAsync(string text, int take, CancellationToken cancellationToken)
    {
        var term = (text ?? string.Empty).Trim();
        if (term.Length == 0 || take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        var pattern = "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var id = PostgreSqlReaders.TryParseId(term, out var parsed) ? parsed : 0;
        return QuerySummariesAsync(
            // Each branch is index-backed: the id; the arguments through the trigram index; type and method names among
            // the few distinct tasks (a loose index scan of job_task_ix), then each matching task's newest jobs.
            $"""
            WITH RECURSIVE tasks(type, method) AS (
              (SELECT type, method FROM {S}.job ORDER BY type, method LIMIT 1)
              UNION ALL
              SELECT n.type, n.method FROM tasks t
              CROSS JOIN LATERAL (
                SELECT j.type, j.method FROM {S}.job j
                WHERE (j.type, j.method) > (t.type, t.method)
                ORDER BY j.type, j.method LIMIT 1
              ) n
            ),
            matches AS (
              (SELECT j.id FROM {S}.job j WHERE j.id = @id)
              UNION
              (SELECT j.id FROM {S}.job j WHERE j.arguments ILIKE @pattern ORDER BY j.id DESC LIMIT @take)
              UNION
              (SELECT x.id FROM tasks t
               CROSS JOIN LATERAL (
                 SELECT j.id FROM {S}.job j WHERE j.type = t.type AND j.method = t.method ORDER BY j.id DESC LIMIT @take
               ) x
               WHERE (t.type || '.' || t.method) ILIKE @pattern)
            )
            SELECT {SummaryColumns} FROM matches m JOIN {S}.job j ON j.id = m.id
            ORDER BY j.id DESC LIMIT @take
            """,
            p =>
            {
                p.Add(new NpgsqlParameter<long>("id", id));
                p.Add(new NpgsqlParameter<string>("pattern", pattern));
                p.Add(new NpgsqlParameter<int>("take", take));
            },
            cancellationToken);
    }

    private Task<IReadOnlyList<TimelinePoint>> TimelineAsync(DateTimeOffset[] starts, string bucket, string format, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<TimelinePoint>>(
            async (connection, token) =>
            {
                var labels = starts.Select(s => s.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)).ToArray();
                var keys = labels.SelectMany(l => new[] { $"stats:succeeded:{bucket}:{l}", $"stats:failed:{bucket}:{l}" }).ToArray();
                await using var command = new NpgsqlCommand(
                    $"""
                    SELECT key, sum(value)::bigint FROM (
                      SELECT key, value FROM {S}.counter_total WHERE key = ANY (@keys)
                      UNION ALL
                      SELECT key, value FROM {S}.counter WHERE key = ANY (@keys)
                    ) c GROUP BY key
                    """,
                    connection);
                command.Parameters.Add(new NpgsqlParameter<string[]>("keys", keys));
                var values = new Dictionary<string, long>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(token))
                {
                    while (await reader.ReadAsync(token))
                    {
                        values[reader.GetString(0)] = reader.GetInt64(1);
                    }
                }

                return starts.Select((s, i) => new TimelinePoint(
                    s,
                    values.GetValueOrDefault($"stats:succeeded:{bucket}:{labels[i]}"),
                    values.GetValueOrDefault($"stats:failed:{bucket}:{labels[i]}"))).ToArray();
            },
            cancellationToken);

    private Task<IReadOnlyList<JobSummary>> QuerySummariesAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<JobSummary>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                parameters(command.Parameters);
                var jobs = new List<JobSummary>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    jobs.Add(ReadSummary(reader));
                }

                return jobs;
            },
            cancellationToken);

    private static JobSummary ReadSummary(NpgsqlDataReader reader) => new(
        reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
        new InvocationData(reader.GetString(1), reader.GetString(2), [], "[]").DisplayName,
        reader.GetString(3),
        reader.GetString(4),
        PostgreSqlReaders.ReadNullableString(reader, 5),
        PostgreSqlReaders.ReadTime(reader, 6),
        PostgreSqlReaders.ReadTime(reader, 7),
        PostgreSqlReaders.ParseData(reader.GetString(8)),
        reader.GetInt32(9),
        PostgreSqlReaders.ReadNullableString(reader, 10));
}
