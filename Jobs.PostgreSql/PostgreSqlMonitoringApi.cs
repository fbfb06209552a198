using System.Globalization;
using System.Text.RegularExpressions;
using Jobs.Common;
using Jobs.States;
using Jobs.Storage;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>
/// The dashboard's read side over the PostgreSQL schema. Every method is one round trip through the
/// storage's retry pipeline, except the filtered Failed list's page and count (two or three, on one connection);
/// the statements are in <see cref="PostgreSqlMonitoringQueries"/>.
/// </summary>
internal sealed partial class PostgreSqlMonitoringApi : IMonitoringApi
{
    /// <summary>How many older matches search reads at most through the trigram index.</summary>
    private const int SearchOlderCap = 1_000;

    /// <summary>How many words of a search term are weighed for the trigram lookup.</summary>
    private const int MaxLookupWords = 4;

    /// <summary>pg_trgm indexes three-character sequences: shorter terms cannot be looked up.</summary>
    private const int MinimumTrigramTerm = 3;

    /// <summary>The counters the overview reads: jobs per state, and retries waiting.</summary>
    private static readonly string[] StatisticsCounterKeys = [.. StateNames.All.Select(s => "state:" + s), "retries"];

    private readonly PostgreSqlJobStorage _storage;
    private readonly PostgreSqlMonitoringQueries _queries;

    public PostgreSqlMonitoringApi(PostgreSqlJobStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _queries = new PostgreSqlMonitoringQueries(storage.Schema, storage.Queries.RecurringColumns);
    }

    /// <summary>How many of the newest jobs search reads directly before it asks the trigram index (tests lower it).</summary>
    internal int SearchRecentWindow { get; set; } = 2_000;

    /// <summary>
    /// How many of the newest failed jobs a filtered page reads in order at least (twice the rows up to the page's end,
    /// within <see cref="FailedWalkMaximum"/>) before it asks the trigram indexes. Tests lower it to reach both ways.
    /// </summary>
    internal int FailedWalkMinimum { get; set; } = 1_000;

    /// <summary>The most failed jobs a filtered page reads in order before it asks the trigram indexes.</summary>
    internal int FailedWalkMaximum { get; set; } = 40_000;

    /// <summary>How many of the newest failed jobs a filtered count reads to tell a common filter from a rare one (tests lower it).</summary>
    internal int FailedCountSample { get; set; } = 1_000;

    public Task<JobStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        _storage.RunAsync(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(_queries.Statistics, connection);
                command.Parameters.Add(new NpgsqlParameter<string[]>("keys", StatisticsCounterKeys));
                var values = new Dictionary<string, long>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(token))
                {
                    while (await reader.ReadAsync(token))
                    {
                        values[reader.GetString(0)] = reader.GetInt64(1);
                    }
                }

                // A counter read between a job's change and the roll-up is still exact; never show less than nothing.
                long Get(string key) => Math.Max(0, values.GetValueOrDefault(key));
                return new JobStatistics(
                    Get("state:" + EnqueuedState.StateName),
                    Get("state:" + ScheduledState.StateName),
                    Get("state:" + AwaitingState.StateName),
                    Get("state:" + ProcessingState.StateName),
                    Get("state:" + SucceededState.StateName),
                    Get("state:" + FailedState.StateName),
                    Get("state:" + DeletedState.StateName),
                    Get("retries"),
                    Get("servers"),
                    Get("recurring"),
                    Get("queues"));
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetJobsAsync(string stateName, int skip, int take, CancellationToken cancellationToken)
    {
        var state = StateNames.Normalize(stateName);
        if (state is null || take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        return QuerySummariesAsync(
            _queries.JobsInState,
            p =>
            {
                p.Add(new NpgsqlParameter<string>("state", state));
                AddPage(p, skip, take);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<JobSummary>> GetFailedJobsAsync(FailedJobFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        if (filter.IsEmpty)
        {
            // The plain Failed list: its deep pages skip over the index alone.
            return GetJobsAsync(FailedState.StateName, skip, take, cancellationToken);
        }

        return FailedPageAsync(filter, after: null, Math.Max(0, skip), take, cancellationToken);
    }

    public async Task<LimitedCount> CountFailedJobsAsync(FailedJobFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (filter.IsEmpty)
        {
            // The counter the overview shows: exact, and no scan.
            return LimitedCount.Of((await GetStatisticsAsync(cancellationToken)).Failed, limit);
        }

        return await _storage.RunAsync(
            async (connection, token) => LimitedCount.Of(await CountMatchingFailedAsync(connection, filter, limit + 1L, token), limit),
            cancellationToken);
    }

    public Task<IReadOnlyList<JobSummary>> GetFailedJobsAfterAsync(FailedJobFilter filter, FailedJobCursor? after, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        if (after is null)
        {
            return GetFailedJobsAsync(filter, 0, take, cancellationToken);
        }

        if (!PostgreSqlReaders.TryParseId(after.JobId, out var afterId))
        {
            throw new ArgumentException($"'{after.JobId}' is not a job id of this storage.", nameof(after));
        }

        return FailedPageAsync(filter, (after.StateChangedAt.ToUniversalTime(), afterId), 0, take, cancellationToken);
    }

    public Task<IReadOnlyList<JobSummary>> GetRetriesAsync(int skip, int take, CancellationToken cancellationToken) =>
        take <= 0
            ? Task.FromResult<IReadOnlyList<JobSummary>>([])
            : QuerySummariesAsync(_queries.Retries, p => AddPage(p, skip, take), cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetEnqueuedJobsAsync(string queue, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        return QuerySummariesAsync(
            _queries.EnqueuedJobs,
            p =>
            {
                p.Add(new NpgsqlParameter<string>("queue", queue));
                AddPage(p, skip, take);
            },
            cancellationToken);
    }

    public Task<JobDetails?> GetJobDetailsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!PostgreSqlReaders.TryParseId(jobId, out var id))
        {
            return Task.FromResult<JobDetails?>(null);
        }

        return _storage.RunAsync<JobDetails?>(
            async (connection, token) =>
            {
                // One round trip. The statements share an implicit transaction but (read committed) not a snapshot:
                // a change committed in between shows at worst as a history entry newer than the row.
                await using var batch = new NpgsqlBatch(connection);
                foreach (var sql in new[] { _queries.JobDetails, _queries.JobHistory, _queries.Continuations })
                {
                    var command = new NpgsqlBatchCommand(sql);
                    command.Parameters.Add(new NpgsqlParameter<long>("id", id));
                    batch.BatchCommands.Add(command);
                }

                await using var reader = await batch.ExecuteReaderAsync(token);
                if (!await reader.ReadAsync(token))
                {
                    return null;
                }

                const int extra = PostgreSqlMonitoringQueries.SummaryColumnCount;
                var summary = ReadSummary(reader, 0);
                var invocation = new InvocationData(reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(extra), reader.GetString(extra + 1));
                var parentId = PostgreSqlReaders.ReadNullableId(reader, extra + 2);
                var expireAt = PostgreSqlReaders.ReadNullableTime(reader, extra + 3);
                var serverId = PostgreSqlReaders.ReadNullableString(reader, extra + 4);

                await reader.NextResultAsync(token);
                var history = new List<StateHistoryEntry>();
                while (await reader.ReadAsync(token))
                {
                    history.Add(new StateHistoryEntry(
                        reader.GetString(0),
                        PostgreSqlReaders.ReadNullableString(reader, 1),
                        PostgreSqlReaders.ReadTime(reader, 2),
                        PostgreSqlReaders.ParseData(reader.GetString(3))));
                }

                await reader.NextResultAsync(token);
                var continuations = new List<string>();
                while (await reader.ReadAsync(token))
                {
                    continuations.Add(reader.GetInt64(0).ToString(CultureInfo.InvariantCulture));
                }

                return new JobDetails(summary, invocation, history, parentId, continuations, expireAt, serverId);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<JobLogLine>> GetJobLogAsync(string jobId, long afterSequence, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (take <= 0 || !PostgreSqlReaders.TryParseId(jobId, out var id))
        {
            return Task.FromResult<IReadOnlyList<JobLogLine>>([]);
        }

        return _storage.RunAsync<IReadOnlyList<JobLogLine>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(_storage.JobLogQueries.ReadLines, connection);
                command.Parameters.Add(new NpgsqlParameter<long>("id", id));
                command.Parameters.Add(new NpgsqlParameter<long>("after", afterSequence));
                command.Parameters.Add(new NpgsqlParameter<int>("take", take));
                var lines = new List<JobLogLine>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    var message = reader.IsDBNull(4) ? reader.GetString(3) : JobLogLine.DroppedMarker(reader.GetInt64(4));
                    lines.Add(new JobLogLine(reader.GetInt64(0), PostgreSqlReaders.ReadTime(reader, 1), (Microsoft.Extensions.Logging.LogLevel)reader.GetInt16(2), message));
                }

                return lines;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(int firstJobsPerQueue, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<QueueSummary>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(_queries.Queues, connection);
                command.Parameters.Add(new NpgsqlParameter<int>("first", Math.Max(0, firstJobsPerQueue)));
                var queues = new List<QueueSummary>();
                List<JobSummary>? firstJobs = null;
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    var name = reader.GetString(0);
                    if (queues.Count == 0 || !string.Equals(queues[^1].Name, name, StringComparison.Ordinal))
                    {
                        firstJobs = [];
                        queues.Add(new QueueSummary(name, reader.GetInt64(1), firstJobs));
                    }

                    if (!reader.IsDBNull(2))
                    {
                        firstJobs!.Add(ReadSummary(reader, 2));
                    }
                }

                return queues;
            },
            cancellationToken);

    public Task<IReadOnlyList<ServerRecord>> GetServersAsync(CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<ServerRecord>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(_queries.Servers, connection);
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
                await using var command = new NpgsqlCommand(_queries.RecurringJobs, connection);
                var records = new List<RecurringJobRecord>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    records.Add(PostgreSqlReaders.ReadRecurringJob(reader));
                }

                return records;
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> GetRecurringJobRunsAsync(string recurringJobId, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recurringJobId);
        if (take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        return QuerySummariesAsync(
            _queries.RecurringRuns,
            p =>
            {
                p.Add(new NpgsqlParameter<string>("recurring", recurringJobId));
                p.Add(new NpgsqlParameter<int>("take", take));
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<TimelinePoint>> GetHourlyTimelineAsync(DateTimeOffset until, int hours, CancellationToken cancellationToken)
    {
        var end = until.UtcDateTime;
        var last = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, 0, 0, TimeSpan.Zero);
        var starts = Enumerable.Range(0, Math.Max(0, hours)).Select(i => last.AddHours(i - hours + 1)).ToArray();
        return TimelineAsync(starts, "hour", "yyyy-MM-dd'T'HH", cancellationToken);
    }

    public Task<IReadOnlyList<TimelinePoint>> GetDailyTimelineAsync(DateTimeOffset until, int days, CancellationToken cancellationToken)
    {
        var end = until.UtcDateTime;
        var last = new DateTimeOffset(end.Year, end.Month, end.Day, 0, 0, 0, TimeSpan.Zero);
        var starts = Enumerable.Range(0, Math.Max(0, days)).Select(i => last.AddDays(i - days + 1)).ToArray();
        return TimelineAsync(starts, "day", "yyyy-MM-dd", cancellationToken);
    }

    public Task<IReadOnlyList<TaskStatistics>> GetTaskStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<TaskStatistics>>(
            async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(_queries.TaskStatistics, connection);
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
                var (firstDay, endDay) = TaskStatisticsDays.StartingIn(from, to);
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("first_day", firstDay));
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("end_day", endDay));
                var tasks = new List<TaskStatistics>();
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    var timed = !reader.IsDBNull(5);
                    tasks.Add(new TaskStatistics(
                        $"{TypeNames.ShortName(reader.GetString(0))}.{reader.GetString(1)}",
                        PostgreSqlReaders.ReadNullableString(reader, 2),
                        reader.GetInt64(3),
                        reader.GetInt64(4),
                        timed ? TimeSpan.FromMilliseconds(reader.GetDouble(5)) : null,
                        timed ? TimeSpan.FromMilliseconds(reader.GetInt64(6)) : null,
                        reader.IsDBNull(7) ? null : reader.GetInt64(7).ToString(CultureInfo.InvariantCulture)));
                }

                // Sorted here, as the in-memory storage sorts: by the display name, which SQL does not have.
                return tasks
                    .OrderBy(t => t.Task, StringComparer.Ordinal)
                    .ThenBy(t => t.RecurringJobId, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);

    public Task<IReadOnlyList<JobSummary>> SearchJobsAsync(string text, int take, CancellationToken cancellationToken)
    {
        var term = text?.Trim() ?? string.Empty;
        if (term.Length == 0 || take <= 0)
        {
            return Task.FromResult<IReadOnlyList<JobSummary>>([]);
        }

        if (PostgreSqlReaders.TryParseId(term, out var id))
        {
            return QuerySummariesAsync(_queries.SearchById, p => p.Add(new NpgsqlParameter<long>("id", id)), cancellationToken);
        }

        return QuerySummariesAsync(
            _queries.SearchByText,
            p =>
            {
                p.Add(new NpgsqlParameter<string>("term", term.ToLowerInvariant()));
                p.Add(new NpgsqlParameter<string>("pattern", ContainsPattern(term)));
                p.Add(new NpgsqlParameter<string[]>("words", LookupWords(term)));
                p.Add(new NpgsqlParameter<int>("take", take));
                p.Add(new NpgsqlParameter<int>("window", SearchRecentWindow));
                p.Add(new NpgsqlParameter<int>("cap", SearchOlderCap));

                // Without a trigram to look up, the index would be read whole: short terms search the recent jobs only.
                p.Add(new NpgsqlParameter<bool>("older", term.Length >= MinimumTrigramTerm));
            },
            cancellationToken);
    }

    /// <summary>An ILIKE pattern matching <paramref name="text"/> anywhere, with its wildcards taken literally.</summary>
    private static string ContainsPattern(string text) => "%" + EscapeLike(text) + "%";

    /// <summary>The term's runs of letters and digits long enough to hold a trigram, lower case, longest first (at most <see cref="MaxLookupWords"/>).</summary>
    private static string[] LookupWords(string term) =>
        LookupWord().Matches(term.ToLowerInvariant())
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(w => w.Length)
            .Take(MaxLookupWords)
            .ToArray();

    [GeneratedRegex(@"[\p{L}\p{N}]{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex LookupWord();

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    private Task<IReadOnlyList<TimelinePoint>> TimelineAsync(DateTimeOffset[] starts, string bucket, string format, CancellationToken cancellationToken)
    {
        if (starts.Length == 0)
        {
            return Task.FromResult<IReadOnlyList<TimelinePoint>>([]);
        }

        var labels = starts.Select(s => s.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)).ToArray();
        return _storage.RunAsync<IReadOnlyList<TimelinePoint>>(
            async (connection, token) =>
            {
                var keys = labels.SelectMany(l => new[] { $"stats:succeeded:{bucket}:{l}", $"stats:failed:{bucket}:{l}" }).ToArray();
                await using var command = new NpgsqlCommand(_queries.Timeline, connection);
                command.Parameters.Add(new NpgsqlParameter<string[]>("keys", keys));
                var values = new Dictionary<string, long>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(token))
                {
                    while (await reader.ReadAsync(token))
                    {
                        values[reader.GetString(0)] = reader.GetInt64(1);
                    }
                }

                return starts.Select((start, i) => new TimelinePoint(
                    start,
                    values.GetValueOrDefault($"stats:succeeded:{bucket}:{labels[i]}"),
                    values.GetValueOrDefault($"stats:failed:{bucket}:{labels[i]}"))).ToArray();
            },
            cancellationToken);
    }

    /// <summary>
    /// A page of the filtered failed jobs. First the newest failed jobs are read in order with the filter tested on each
    /// (<see cref="PostgreSqlMonitoringQueries.FailedJobsWalk"/>), which ends early when most of them match. When that
    /// walk's budget does not fill the page, the matches are few (or the page is deep) and the trigram indexes find them;
    /// a page deeper than the budget allows goes to them at once.
    /// </summary>
    private Task<IReadOnlyList<JobSummary>> FailedPageAsync(
        FailedJobFilter filter, (DateTimeOffset At, long Id)? after, int skip, int take, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<JobSummary>>(
            async (connection, token) =>
            {
                var needed = skip + (long)take;
                var budget = (int)Math.Clamp(2 * needed, FailedWalkMinimum, Math.Max(FailedWalkMinimum, FailedWalkMaximum));

                // A page so deep that the budget barely covers the rows before it would almost never be filled by the walk.
                if (budget * 4L >= needed * 5)
                {
                    var walked = await ReadSummariesAsync(connection, _queries.FailedJobsWalk(filter, after is not null), p =>
                    {
                        AddFailedFilter(p, filter);
                        AddCursor(p, after);
                        AddPage(p, skip, take);
                        p.Add(new NpgsqlParameter<int>("budget", budget));
                    }, token);
                    if (walked.Count == take)
                    {
                        return walked;
                    }
                }

                return await ReadSummariesAsync(connection, after is null ? _queries.FailedJobs(filter) : _queries.FailedJobsAfter(filter), p =>
                {
                    AddFailedFilter(p, filter);
                    if (after is null)
                    {
                        AddPage(p, skip, take);
                    }
                    else
                    {
                        AddCursor(p, after);
                        p.Add(new NpgsqlParameter<int>("take", take));
                    }
                }, token);
            },
            cancellationToken);

    /// <summary>
    /// The matching failed jobs, counted no further than <paramref name="stopAt"/>. A sample of the newest failed jobs
    /// tells a common filter from a rare one: a common one is counted by reading the newest jobs in order until
    /// <paramref name="stopAt"/> match (a few times <paramref name="stopAt"/> rows at most), a rare one through the
    /// trigram indexes, whose cost grows with the matches.
    /// </summary>
    private async Task<long> CountMatchingFailedAsync(NpgsqlConnection connection, FailedJobFilter filter, long stopAt, CancellationToken cancellationToken)
    {
        var sample = FailedCountSample;
        var (walked, matched) = await ReadPairAsync(connection, _queries.SampleFailedJobs(filter), p =>
        {
            AddFailedFilter(p, filter);
            p.Add(new NpgsqlParameter<int>("budget", sample));
        }, cancellationToken);
        if (walked < sample || matched >= stopAt)
        {
            // Every failed job was read, or the newest alone reach the limit.
            return Math.Min(matched, stopAt);
        }

        if (matched * 2 >= sample)
        {
            // At least half match: stopAt matches are about stopAt * sample / matched rows away (at most 2 * stopAt).
            // The budget is twice that, for older jobs that match less often.
            var budget = (int)Math.Min(int.MaxValue, Math.Max(sample, stopAt * 2 * sample / matched));
            var (found, failed) = await ReadPairAsync(connection, _queries.CountFailedJobsWalk(filter), p =>
            {
                AddFailedFilter(p, filter);
                p.Add(new NpgsqlParameter<long>("stop_at", stopAt));
                p.Add(new NpgsqlParameter<int>("budget", budget));
            }, cancellationToken);
            if (found >= stopAt || failed < budget)
            {
                return found;
            }
        }

        await using var command = new NpgsqlCommand(_queries.CountFailedJobs(filter), connection);
        AddFailedFilter(command.Parameters, filter);
        command.Parameters.Add(new NpgsqlParameter<long>("stop_at", stopAt));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(long First, long Second)> ReadPairAsync(
        NpgsqlConnection connection, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        parameters(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? long.MaxValue : reader.GetInt64(1));
    }

    private Task<IReadOnlyList<JobSummary>> QuerySummariesAsync(string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken) =>
        _storage.RunAsync<IReadOnlyList<JobSummary>>(
            async (connection, token) => await ReadSummariesAsync(connection, sql, parameters, token),
            cancellationToken);

    private static async Task<List<JobSummary>> ReadSummariesAsync(
        NpgsqlConnection connection, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        parameters(command.Parameters);
        var jobs = new List<JobSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ReadSummary(reader, 0));
        }

        return jobs;
    }

    private static void AddFailedFilter(NpgsqlParameterCollection parameters, FailedJobFilter filter)
    {
        // Only the parts the filter has: the statement names no others (PostgreSqlMonitoringQueries.FailedMatch).
        if (filter.Method is not null)
        {
            parameters.Add(new NpgsqlParameter<string>("method", ContainsPattern(filter.Method)));
        }

        if (filter.ExceptionType is not null)
        {
            parameters.Add(new NpgsqlParameter<string>("exception", ContainsPattern(filter.ExceptionType)));
        }

        if (filter.Queue is not null)
        {
            parameters.Add(new NpgsqlParameter<string>("queue", filter.Queue));
        }
    }

    private static void AddCursor(NpgsqlParameterCollection parameters, (DateTimeOffset At, long Id)? after)
    {
        if (after is { } cursor)
        {
            parameters.Add(new NpgsqlParameter<DateTimeOffset>("after_at", cursor.At));
            parameters.Add(new NpgsqlParameter<long>("after_id", cursor.Id));
        }
    }

    private static void AddPage(NpgsqlParameterCollection parameters, int skip, int take)
    {
        parameters.Add(new NpgsqlParameter<int>("skip", Math.Max(0, skip)));
        parameters.Add(new NpgsqlParameter<int>("take", take));
    }

    /// <summary>Reads the columns of <see cref="PostgreSqlMonitoringQueries.SummaryColumns"/> starting at <paramref name="at"/>.</summary>
    private static JobSummary ReadSummary(NpgsqlDataReader reader, int at) => new(
        reader.GetInt64(at).ToString(CultureInfo.InvariantCulture),
        $"{TypeNames.ShortName(reader.GetString(at + 1))}.{reader.GetString(at + 2)}",
        reader.GetString(at + 3),
        reader.GetString(at + 4),
        PostgreSqlReaders.ReadNullableString(reader, at + 5),
        PostgreSqlReaders.ReadTime(reader, at + 6),
        PostgreSqlReaders.ReadTime(reader, at + 7),
        PostgreSqlReaders.ParseData(reader.GetString(at + 8)),
        reader.GetInt32(at + 9),
        PostgreSqlReaders.ReadNullableString(reader, at + 10));
}
