using System.Text;
using Jobs.Storage;

namespace Jobs.PostgreSql;

/// <summary>
/// The dashboard's statements, rendered once for a schema. Each is one round trip and index-backed
/// (see <c>Migrations/001_initial.sql</c>, <c>002_read_side.sql</c> and <c>004_task_statistics.sql</c>). Counts per state, per queue and of retries
/// come from the counters the write side keeps: exact, and cheap at millions of jobs.
/// </summary>
internal sealed class PostgreSqlMonitoringQueries
{
    /// <summary>The columns <see cref="PostgreSqlMonitoringApi"/> reads into a job summary, over <c>job j</c>.</summary>
    public const string SummaryColumns =
        "j.id, j.type, j.method, j.queue, j.state, j.state_reason, j.created_at, j.state_changed_at, j.state_data::text, j.retry_count, j.recurring_job_id";

    /// <summary>How many columns <see cref="SummaryColumns"/> has.</summary>
    public const int SummaryColumnCount = 11;

    private readonly string _schema;

    /// <param name="recurringColumns">The storage's <see cref="PostgreSqlQueries.RecurringColumns"/>, so both sides read recurring jobs alike.</param>
    public PostgreSqlMonitoringQueries(string schema, string recurringColumns)
    {
        var s = schema;
        _schema = schema;

        // Distinct queues that hold enqueued jobs, one index descent per queue (a loose index scan over
        // job_enqueued_ix), plus the queues servers listen to. Needs WITH RECURSIVE on the statement.
        var queueNames = $"""
            enqueued_queues(queue) AS (
              SELECT min(queue) FROM {s}.job WHERE state = 'Enqueued'
              UNION ALL
              SELECT (SELECT min(e.queue) FROM {s}.job e WHERE e.state = 'Enqueued' AND e.queue > q.queue)
              FROM enqueued_queues q WHERE q.queue IS NOT NULL
            ),
            queue_names(queue) AS (
              SELECT queue FROM enqueued_queues WHERE queue IS NOT NULL
              UNION
              SELECT unnest(queues) FROM {s}.server
            )
            """;

        // A counter's value is its rolled-up total plus the deltas written since the last roll-up.
        static string CounterValues(string s, string keys) => $"""
            SELECT key, sum(value)::bigint AS value FROM (
              SELECT key, value FROM {s}.counter_total WHERE key = ANY ({keys})
              UNION ALL
              SELECT key, value FROM {s}.counter WHERE key = ANY ({keys})
            ) c GROUP BY key
            """;

        Statistics = $"""
            WITH RECURSIVE {queueNames},
            counted AS (
              {CounterValues(s, "@keys")}
            )
            SELECT key, value FROM counted
            UNION ALL SELECT 'servers', count(*) FROM {s}.server
            UNION ALL SELECT 'recurring', count(*) FROM {s}.recurring_job
            UNION ALL SELECT 'queues', count(*) FROM queue_names
            """;

        // Pages pick ids from the index alone (index-only scan), then read just those rows: a deep
        // OFFSET walks index entries, not heap pages.
        JobsInState = $"""
            SELECT {SummaryColumns}
            FROM (SELECT id FROM {s}.job WHERE state = @state ORDER BY state_changed_at DESC, id DESC OFFSET @skip LIMIT @take) p
            JOIN {s}.job j ON j.id = p.id
            ORDER BY j.state_changed_at DESC, j.id DESC
            """;

        Retries = $"""
            SELECT {SummaryColumns}
            FROM (SELECT id FROM {s}.job WHERE state = 'Scheduled' AND retry_count > 0 ORDER BY scheduled_at, id OFFSET @skip LIMIT @take) p
            JOIN {s}.job j ON j.id = p.id
            ORDER BY j.scheduled_at, j.id
            """;

        // Oldest first, in the order FetchNext takes them.
        EnqueuedJobs = $"""
            SELECT {SummaryColumns}
            FROM (SELECT id FROM {s}.job WHERE state = 'Enqueued' AND queue = @queue ORDER BY id OFFSET @skip LIMIT @take) p
            JOIN {s}.job j ON j.id = p.id
            ORDER BY j.id
            """;

        JobDetails = $"""
            SELECT {SummaryColumns}, j.parameter_types, j.arguments, j.parent_id, j.expire_at, j.server_id
            FROM {s}.job j WHERE j.id = @id
            """;

        JobHistory = $"SELECT state, reason, created_at, data::text FROM {s}.job_history WHERE job_id = @id ORDER BY id DESC";

        Continuations = $"SELECT id FROM {s}.job WHERE parent_id = @id ORDER BY id";

        // One row per queue and first job (queue columns, then the summary columns or nulls for an empty queue).
        // Lengths are looked up once per queue (before the join with its first jobs), each an index probe on the counter key.
        Queues = $"""
            WITH RECURSIVE {queueNames},
            lengths AS MATERIALIZED (
              SELECT n.queue,
                     greatest(0, coalesce((SELECT sum(t.value) FROM {s}.counter_total t WHERE t.key = 'queue:' || n.queue), 0)
                               + coalesce((SELECT sum(c.value) FROM {s}.counter c WHERE c.key = 'queue:' || n.queue), 0))::bigint AS length
              FROM queue_names n
            )
            SELECT n.queue, n.length, f.*
            FROM lengths n
            LEFT JOIN LATERAL (
              SELECT {SummaryColumns} FROM {s}.job j
              WHERE j.state = 'Enqueued' AND j.queue = n.queue
              ORDER BY j.id
              LIMIT @first
            ) f ON true
            ORDER BY n.queue, f.id
            """;

        Servers = $"SELECT id, worker_count, queues, started_at, last_heartbeat FROM {s}.server ORDER BY id";

        RecurringJobs = $"""
            SELECT {recurringColumns}
            FROM {s}.recurring_job r LEFT JOIN {s}.job j ON j.id = r.last_job_id
            ORDER BY r.id
            """;

        RecurringRuns = $"""
            SELECT {SummaryColumns} FROM {s}.job j
            WHERE j.recurring_job_id = @recurring
            ORDER BY j.id DESC
            LIMIT @take
            """;

        Timeline = CounterValues(s, "@keys");

        SearchById = $"SELECT {SummaryColumns} FROM {s}.job j WHERE j.id = @id";

        SearchByText = Search(s);

        // Jobs still stored: two ranges of job_state_changed_ix (state, state_changed_at), the finished jobs of the period
        // only. Expired jobs: a range of task_statistics_daily's primary key (day, …). A job is in one or the other.
        // recurring_job_id is '' for none on both sides, so the two meet in the join. The slowest job is the greatest
        // (duration, -id): the longest run, the oldest job among equals, found without sorting (so the scan may run in parallel).
        TaskStatistics = $"""
            WITH live AS (
              SELECT type, method, coalesce(recurring_job_id, '') AS recurring_job_id,
                     count(*) FILTER (WHERE state = 'Succeeded') AS succeeded,
                     count(*) FILTER (WHERE state = 'Failed') AS failed,
                     count(duration_ms) AS timed,
                     coalesce(sum(duration_ms), 0) AS total_ms,
                     max(duration_ms) AS max_ms,
                     -(max(ARRAY[duration_ms, -id]) FILTER (WHERE duration_ms IS NOT NULL))[2] AS slowest_id
              FROM (
                SELECT j.id, j.type, j.method, j.recurring_job_id, j.state, {PostgreSqlQueries.DurationMilliseconds("j")} AS duration_ms
                FROM {s}.job j
                WHERE j.state IN ('Succeeded', 'Failed') AND j.state_changed_at >= @from AND j.state_changed_at < @to
              ) finished
              GROUP BY 1, 2, 3
            ),
            expired AS (
              SELECT type, method, recurring_job_id, sum(succeeded) AS succeeded, sum(failed) AS failed, sum(timed) AS timed,
                     sum(total_duration_ms) AS total_ms, max(max_duration_ms) AS max_ms
              FROM {s}.task_statistics_daily
              WHERE day >= @first_day AND day < @end_day
              GROUP BY 1, 2, 3
            )
            SELECT coalesce(l.type, x.type), coalesce(l.method, x.method), nullif(coalesce(l.recurring_job_id, x.recurring_job_id), ''),
                   (coalesce(l.succeeded, 0) + coalesce(x.succeeded, 0))::bigint AS succeeded,
                   (coalesce(l.failed, 0) + coalesce(x.failed, 0))::bigint AS failed,
                   ((coalesce(l.total_ms, 0) + coalesce(x.total_ms, 0)) / nullif(coalesce(l.timed, 0) + coalesce(x.timed, 0), 0))::float8 AS average_ms,
                   greatest(l.max_ms, x.max_ms) AS max_ms,
                   CASE WHEN l.max_ms >= coalesce(x.max_ms, l.max_ms) THEN l.slowest_id END AS slowest_id
            FROM live l
            FULL JOIN expired x ON x.type = l.type AND x.method = l.method AND x.recurring_job_id = l.recurring_job_id
            """;
    }

    /// <summary>Rows (key, value): the counters named in @keys (states, retries), then servers, recurring and queues.</summary>
    public string Statistics { get; }

    public string JobsInState { get; }

    /// <summary>A page of the failed jobs matching <paramref name="filter"/> (@skip, @take), newest first.</summary>
    public string FailedJobs(FailedJobFilter filter) => $"""
        SELECT {SummaryColumns}
        FROM (SELECT j.id FROM {_schema}.job j WHERE {FailedMatch(filter)}
              ORDER BY j.state_changed_at DESC, j.id DESC OFFSET @skip LIMIT @take) p
        JOIN {_schema}.job j ON j.id = p.id
        ORDER BY j.state_changed_at DESC, j.id DESC
        """;

    /// <summary>The next @take failed jobs matching <paramref name="filter"/> after (@after_at, @after_id), newest first.</summary>
    public string FailedJobsAfter(FailedJobFilter filter) => $"""
        SELECT {SummaryColumns} FROM {_schema}.job j
        WHERE {FailedMatch(filter)}
          AND (j.state_changed_at, j.id) < (@after_at, @after_id)
        ORDER BY j.state_changed_at DESC, j.id DESC
        LIMIT @take
        """;

    /// <summary>
    /// The same page as <see cref="FailedJobs"/>, looked for only among the newest @budget failed jobs (after
    /// (@after_at, @after_id) when <paramref name="afterCursor"/>): job_state_changed_ix read newest first, the filter
    /// tested on each row, and the walk stops as soon as the page is full. Cheap when most failed jobs match, where the
    /// trigram lookup of <see cref="FailedJobs"/> would read and sort every match; a short page means the budget ran out
    /// or the matches did.
    /// </summary>
    public string FailedJobsWalk(FailedJobFilter filter, bool afterCursor) => $"""
        SELECT {SummaryColumns}
        FROM ({NewestFailed(afterCursor ? "AND (state_changed_at, id) < (@after_at, @after_id)" : "")}) j
        WHERE {FailedMatch(filter)}
        ORDER BY j.state_changed_at DESC, j.id DESC
        OFFSET @skip LIMIT @take
        """;

    /// <summary>How many failed jobs match <paramref name="filter"/>, counted through the trigram indexes up to @stop_at.</summary>
    public string CountFailedJobs(FailedJobFilter filter) =>
        $"SELECT count(*) FROM (SELECT 1 FROM {_schema}.job j WHERE {FailedMatch(filter)} LIMIT @stop_at) m";

    /// <summary>Rows (walked, matched): how many of the newest @budget failed jobs were read, and how many of them match.</summary>
    public string SampleFailedJobs(FailedJobFilter filter) => $"""
        SELECT count(*), count(*) FILTER (WHERE {FailedMatch(filter)}) FROM ({NewestFailed("")}) j
        """;

    /// <summary>
    /// Rows (matched, walked): the matches among the newest @budget failed jobs, counted up to @stop_at; and, only when
    /// fewer were found, how many failed jobs the walk had (fewer than @budget: it read them all and the count is exact).
    /// </summary>
    public string CountFailedJobsWalk(FailedJobFilter filter) => $"""
        SELECT m.matched,
               CASE WHEN m.matched < @stop_at
                    THEN (SELECT count(*) FROM (SELECT 1 FROM {_schema}.job WHERE state = 'Failed' ORDER BY state_changed_at DESC, id DESC LIMIT @budget) a)
               END
        FROM (SELECT count(*) AS matched FROM (SELECT 1 FROM ({NewestFailed("")}) j WHERE {FailedMatch(filter)} LIMIT @stop_at) x) m
        """;

    // The newest @budget failed jobs in the order of job_state_changed_ix, with the columns a summary and the filter read.
    // The LIMIT keeps the planner on the index: it cannot tell how many rows the filter will keep.
    private string NewestFailed(string condition) => $"""
        SELECT id, type, method, queue, state, state_reason, created_at, state_changed_at, state_data, retry_count, recurring_job_id
        FROM {_schema}.job WHERE state = 'Failed' {condition}
        ORDER BY state_changed_at DESC, id DESC
        LIMIT @budget
        """;

    // job_state_changed_ix reads the failed jobs alone, newest first; only the filter's given parts are checked on
    // those rows (no "@p IS NULL OR …", which would keep a generic plan from seeing what is asked). The display name
    // is built as TypeNames.ShortName does: the type's name without namespace, assembly or generic arguments.
    private static string FailedMatch(FailedJobFilter filter)
    {
        var match = new StringBuilder("j.state = 'Failed'");
        if (filter.Method is not null)
        {
            match.Append(" AND regexp_replace(split_part(split_part(j.type, ',', 1), '[', 1), '^.*[.+]', '') || '.' || j.method ILIKE @method");
        }

        if (filter.ExceptionType is not null)
        {
            match.Append(" AND j.state_data->>'ExceptionType' ILIKE @exception");
        }

        if (filter.Queue is not null)
        {
            match.Append(" AND j.queue = @queue");
        }

        return match.ToString();
    }

    public string Retries { get; }

    public string EnqueuedJobs { get; }

    public string JobDetails { get; }

    public string JobHistory { get; }

    public string Continuations { get; }

    public string Queues { get; }

    public string Servers { get; }

    /// <summary>Every recurring job with the state of its last run, in the columns <see cref="PostgreSqlReaders.ReadRecurringJob"/> reads.</summary>
    public string RecurringJobs { get; }

    public string RecurringRuns { get; }

    /// <summary>Rows (key, value) of the counters named in @keys.</summary>
    public string Timeline { get; }

    public string SearchById { get; }

    /// <summary>
    /// Per (type, method, recurring job): succeeded and failed counts, mean and longest duration and the slowest job still
    /// stored, of the jobs finished in [@from, @to) and of the expired jobs of the days [@first_day, @end_day).
    /// </summary>
    public string TaskStatistics { get; }

    /// <summary>Jobs whose type name, method name, display name or arguments hold @term (lower case; @pattern is its ILIKE form), newest first.</summary>
    public string SearchByText { get; }

    /// <summary>
    /// Names and arguments are searched apart, each through an index. Names: the distinct (type, method) pairs are
    /// walked on job_task_ix (one index descent per pair, so a few hundred tasks cost little), matched by name, and
    /// each matching pair's newest jobs are read from the same index. Arguments: the newest @window jobs
    /// are read through the primary key and filtered, so a term that is common is found there at a bounded cost.
    /// Only when that finds fewer than @take (and @older: a term shorter than a trigram cannot be looked up) are older
    /// jobs looked up in job_arguments_trgm_ix, reading at most @cap rows. The lookup uses the word of the term
    /// (@words: its runs of letters and digits) that is rarest among the newest jobs, not the whole term: a GIN scan
    /// costs as much as its most common trigrams, and a term such as <c>customer-4242@</c> shares most of its
    /// trigrams with every job. A word found in half or more of the newest jobs narrows nothing (looking up
    /// <c>customer</c> reads an index entry for nearly every job), so then the whole term is looked up. The whole term is then checked on the rows found. <c>id + 0</c> keeps the planner
    /// from walking the primary key through every older job instead of asking the trigram index. When the names
    /// already fill a page, arguments are only searched among jobs newer than the last of those (name_floor).
    /// </summary>
    private static string Search(string s)
    {
        // TypeNames.ShortName in SQL: the type's name without namespace, assembly or generic arguments.
        const string display = "substring(split_part(split_part(k.type, ',', 1), '[', 1) from '[^.+]*$') || '.' || k.method";
        return $"""
            WITH RECURSIVE tasks(type, method) AS (
              (SELECT type, method FROM {s}.job ORDER BY type, method LIMIT 1)
              UNION ALL
              SELECT n.type, n.method FROM tasks k CROSS JOIN LATERAL (
                SELECT e.type, e.method FROM {s}.job e
                WHERE (e.type, e.method) > (k.type, k.method)
                ORDER BY e.type, e.method
                LIMIT 1
              ) n
            ),
            by_name AS MATERIALIZED (
              SELECT x.id FROM tasks k CROSS JOIN LATERAL (
                SELECT e.id FROM {s}.job e
                WHERE e.type = k.type AND e.method = k.method
                ORDER BY e.id DESC
                LIMIT @take
              ) x
              WHERE strpos(lower(k.type || '.' || k.method), @term) > 0 OR strpos(lower({display}), @term) > 0
            ),
            name_floor AS MATERIALIZED (
              SELECT CASE WHEN count(*) >= @take THEN min(id) END AS id FROM (SELECT id FROM by_name ORDER BY id DESC LIMIT @take) t
            ),
            newest AS MATERIALIZED (
              SELECT min(id) AS low FROM (SELECT id FROM {s}.job ORDER BY id DESC LIMIT @window) n
            ),
            recent_by_arguments AS MATERIALIZED (
              SELECT j.id FROM {s}.job j
              WHERE j.id >= greatest((SELECT low FROM newest), (SELECT id FROM name_floor)) AND strpos(lower(j.arguments), @term) > 0
              ORDER BY j.id DESC
              LIMIT @take
            ),
            lookup AS MATERIALIZED (
              SELECT coalesce(
                (SELECT '%' || w.word || '%' FROM unnest(@words::text[]) AS w(word)
                 CROSS JOIN LATERAL (
                   SELECT count(*) AS hits FROM {s}.job n WHERE n.id >= (SELECT low FROM newest) AND strpos(lower(n.arguments), w.word) > 0
                 ) c
                 WHERE c.hits * 2 < @window
                 ORDER BY c.hits, length(w.word) DESC
                 LIMIT 1),
                @pattern) AS pattern
              WHERE @older AND (SELECT count(*) FROM recent_by_arguments) < @take
                AND coalesce((SELECT id FROM name_floor) < (SELECT low FROM newest), true)
            ),
            older_by_arguments AS MATERIALIZED (
              SELECT j.id FROM {s}.job j
              WHERE j.arguments ILIKE (SELECT pattern FROM lookup)
                AND j.id + 0 < coalesce((SELECT low FROM newest), 9223372036854775807)
                AND strpos(lower(j.arguments), @term) > 0
              LIMIT @cap
            ),
            hits AS MATERIALIZED (
              SELECT id FROM (SELECT id FROM by_name UNION SELECT id FROM recent_by_arguments UNION SELECT id FROM older_by_arguments) u
              ORDER BY id DESC
              LIMIT @take
            )
            SELECT {SummaryColumns} FROM hits h JOIN {s}.job j ON j.id = h.id
            ORDER BY j.id DESC
            """;
    }
}
