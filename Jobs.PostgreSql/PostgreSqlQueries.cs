namespace Jobs.PostgreSql;

/// <summary>
/// Every statement of the storage, rendered once for a schema. Each is one round trip: CTEs change the
/// job, write its history, append counter deltas and notify listeners in the same statement.
/// </summary>
internal sealed class PostgreSqlQueries
{
    public PostgreSqlQueries(string schema, string channel)
    {
        var s = schema;
        var notify = $"pg_notify('{channel}', x.queue)";

        CreateJobs = CreateJobsSql(s, notify);
        CreateJobsUnannounced = CreateJobsSql(s, null);
        CreatePlainJob = CreatePlainJobSql(s, notify);
        CreatePlainJobUnannounced = CreatePlainJobSql(s, null);

        // Run first in a batch (one implicit transaction): that transaction commits without waiting for the WAL flush.
        RelaxCommit = "SELECT set_config('synchronous_commit', 'off', true)";
        AnnounceQueues = $"SELECT pg_notify('{channel}', q) FROM unnest(@queues::text[]) q";

        FetchNext = $$"""
            WITH earlier AS MATERIALIZED (
              -- On a retry: what an earlier attempt of this very call committed (its answer was lost). The statement's
              -- snapshot does not see this attempt's own updates, so nothing is returned twice.
              SELECT j.id, j.type, j.method, j.parameter_types, j.arguments, j.queue, j.retry_count, j.created_at, j.enqueued_at, j.recurring_job_id
              FROM {{s}}.job j
              WHERE @is_retry AND j.state = 'Processing' AND j.server_id = @server AND j.state_changed_at = @now
            ),
            cand AS MATERIALIZED (
              SELECT c.id
              FROM unnest(@queues::text[]) WITH ORDINALITY AS q(name, ord)
              CROSS JOIN LATERAL (
                SELECT j.id FROM {{s}}.job j
                -- The queue as a range and the order as (queue, id): only job_enqueued_ix gives that order, so the
                -- plan never walks the primary key past every finished job (with "queue = name ORDER BY id" it did,
                -- whenever the statistics were taken while most jobs were Enqueued, e.g. during a backlog).
                WHERE j.state = 'Enqueued' AND j.queue >= q.name AND j.queue <= q.name
                ORDER BY j.queue, j.id
                LIMIT @count
                FOR UPDATE SKIP LOCKED
              ) c
              LIMIT greatest(@count - (SELECT count(*) FROM earlier), 0)
            ),
            upd AS (
              UPDATE {{s}}.job j SET state = 'Processing', state_reason = NULL, state_data = jsonb_build_object('ServerId', @server::text),
                                     state_changed_at = @now, server_id = @server
              FROM cand WHERE j.id = cand.id
              RETURNING j.id, j.type, j.method, j.parameter_types, j.arguments, j.queue, j.retry_count, j.created_at, j.enqueued_at,
                        j.recurring_job_id, 'Enqueued'::text AS old_state, j.queue AS old_queue, 'Processing'::text AS new_state, j.queue AS new_queue
            ),
            hist AS (
              INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
              SELECT id, 'Processing', NULL, jsonb_build_object('ServerId', @server::text), @now FROM upd
            ),
            {{Counters(s, "upd")}}
            SELECT id, type, method, parameter_types, arguments, queue, retry_count, created_at, enqueued_at, recurring_job_id FROM upd
            UNION ALL
            SELECT id, type, method, parameter_types, arguments, queue, retry_count, created_at, enqueued_at, recurring_job_id FROM earlier
            """;

        ChangeStates = $$"""
            WITH input AS MATERIALIZED (
              SELECT * FROM unnest(@id::bigint[], @expected::text[], @expected_server::text[], @state::text[], @reason::text[], @data::text[],
                                   @queue::text[], @scheduled::timestamptz[], @server::text[], @retry::integer[], @parent::text[], @copt::smallint[])
                   WITH ORDINALITY AS i(job_id, expected, expected_server, state, reason, data, queue, scheduled_at, server_id, retry_count, parent, copt, ord)
            ),
            -- An Awaiting state whose parent does not exist is a bad call: nothing is applied, the parents are reported.
            missing AS MATERIALIZED (
              SELECT i.ord, i.parent FROM input i
              WHERE i.state = 'Awaiting'
                AND NOT EXISTS (SELECT 1 FROM {{s}}.job p
                                WHERE p.id = CASE WHEN i.parent ~ '^[0-9]{1,18}$' THEN i.parent::bigint END)
            ),
            locked AS MATERIALIZED (
              SELECT j.id, j.state AS old_state, j.queue AS old_queue, j.retry_count AS old_retry, i.ord
              FROM {{s}}.job j JOIN input i ON i.job_id = j.id
              WHERE NOT EXISTS (SELECT 1 FROM missing)
                AND (i.expected IS NULL OR j.state = ANY (string_to_array(i.expected, ',')))
                AND (i.expected_server IS NULL OR (j.state = 'Processing' AND j.server_id = i.expected_server))
              ORDER BY j.id -- one lock order for every writer, so concurrent batches do not deadlock
              FOR UPDATE OF j
            ),
            upd AS (
              UPDATE {{s}}.job j SET
                state = i.state, state_reason = i.reason, state_data = i.data::jsonb, state_changed_at = @now,
                queue = CASE WHEN i.state = 'Enqueued' THEN coalesce(i.queue, j.queue) ELSE j.queue END,
                enqueued_at = CASE WHEN i.state = 'Enqueued' THEN @now ELSE j.enqueued_at END,
                scheduled_at = CASE WHEN i.state = 'Scheduled' THEN i.scheduled_at END,
                server_id = CASE WHEN i.state = 'Processing' THEN i.server_id END,
                retry_count = coalesce(i.retry_count, j.retry_count),
                expire_at = CASE WHEN i.state IN ('Succeeded', 'Deleted') THEN @expire END,
                parent_id = CASE WHEN i.state = 'Awaiting' AND i.parent ~ '^[0-9]{1,18}$' THEN i.parent::bigint ELSE j.parent_id END,
                continuation_options = CASE WHEN i.state = 'Awaiting' THEN i.copt ELSE j.continuation_options END
              FROM locked l JOIN input i ON i.ord = l.ord
              WHERE j.id = l.id
              RETURNING l.ord, j.id, l.old_state, l.old_queue, j.state AS new_state, j.queue AS new_queue, l.old_retry, j.retry_count AS new_retry
            ),
            hist AS (
              INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
              SELECT u.id, i.state, i.reason, i.data::jsonb, @now FROM upd u JOIN input i ON i.ord = u.ord ORDER BY u.ord
            ),
            {{Counters(s, "upd", withRetries: true)}},
            notified AS (
              SELECT {{notify}} FROM (SELECT DISTINCT new_queue AS queue FROM upd WHERE new_state = 'Enqueued') x
            )
            SELECT u.ord, (SELECT count(*) FROM notified), NULL::text AS missing_parent FROM upd u
            UNION ALL
            -- On a retry: changes an earlier attempt of this very call committed (its answer was lost) count as applied.
            SELECT i.ord, 0, NULL FROM input i JOIN {{s}}.job j ON j.id = i.job_id
            WHERE @is_retry AND j.state = i.state AND j.state_changed_at = @now AND NOT EXISTS (SELECT 1 FROM missing)
            UNION ALL
            SELECT m.ord, 0, m.parent FROM missing m
            """;

        // A separate statement of the same batch (same transaction): its snapshot sees the parents'
        // new states and any continuation committed while the parents were locked.
        ReleaseContinuations = $$"""
            WITH RECURSIVE tree(id, next_state, reason, depth) AS (
              SELECT c.id,
                     CASE WHEN p.state = 'Succeeded' OR c.continuation_options = 1 THEN 'Enqueued' ELSE 'Deleted' END,
                     'Parent job ' || p.id || CASE WHEN p.state = 'Succeeded' THEN ' succeeded' ELSE ' was deleted' END,
                     1
              -- Driven from the children (job_parent_ix holds only continuations), so a batch of parents without
              -- any costs one probe of a small index, never a scan of the finished jobs by state.
              FROM {{s}}.job c JOIN {{s}}.job p ON p.id = c.parent_id
              WHERE c.parent_id = ANY (@parents) AND c.state = 'Awaiting' AND p.state IN ('Succeeded', 'Deleted')
              UNION ALL
              SELECT c.id, CASE WHEN c.continuation_options = 1 THEN 'Enqueued' ELSE 'Deleted' END,
                     'Parent job ' || t.id || ' was deleted', t.depth + 1
              FROM tree t JOIN {{s}}.job c ON c.parent_id = t.id AND c.state = 'Awaiting'
              WHERE t.next_state = 'Deleted' AND t.depth < 64
            ),
            locked AS MATERIALIZED (
              SELECT j.id, j.state AS old_state, j.queue AS old_queue, t.next_state, t.reason
              FROM {{s}}.job j JOIN tree t ON t.id = j.id
              WHERE j.state = 'Awaiting'
              ORDER BY j.id
              FOR UPDATE OF j
            ),
            upd AS (
              UPDATE {{s}}.job j SET state = l.next_state, state_reason = l.reason, state_data = '{}'::jsonb, state_changed_at = @now,
                                     enqueued_at = CASE WHEN l.next_state = 'Enqueued' THEN @now ELSE j.enqueued_at END,
                                     expire_at = CASE WHEN l.next_state = 'Deleted' THEN @expire END
              FROM locked l WHERE j.id = l.id
              RETURNING j.id, l.old_state, l.old_queue, j.state AS new_state, j.queue AS new_queue, l.reason
            ),
            hist AS (
              INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
              SELECT id, new_state, reason, '{}'::jsonb, @now FROM upd
            ),
            {{Counters(s, "upd")}},
            notified AS (
              SELECT {{notify}} FROM (SELECT DISTINCT new_queue AS queue FROM upd WHERE new_state = 'Enqueued') x
            )
            SELECT count(*), (SELECT count(*) FROM notified) FROM upd
            """;

        AnyEnqueued = $"""
            SELECT EXISTS (SELECT 1 FROM {s}.job WHERE state = 'Enqueued' AND queue = ANY (@queues))
            """;

        FindCreatedJobs = $"""
            SELECT id, type, method, arguments FROM {s}.job WHERE created_at = @now ORDER BY id LIMIT @limit
            """;

        GetJob = $"""
            SELECT id, type, method, parameter_types, arguments, queue, state, retry_count, created_at, server_id, recurring_job_id
            FROM {s}.job WHERE id = @id
            """;

        EnqueueDueScheduled = $$"""
            WITH due AS MATERIALIZED (
              SELECT id FROM {{s}}.job
              WHERE state = 'Scheduled' AND scheduled_at <= @now
              ORDER BY scheduled_at, id
              LIMIT @batch
              FOR UPDATE SKIP LOCKED
            ),
            upd AS (
              UPDATE {{s}}.job j SET state = 'Enqueued', state_reason = 'Triggered by the delayed job scheduler',
                                     state_data = jsonb_build_object('EnqueuedAt', @now_text::text), state_changed_at = @now,
                                     enqueued_at = @now, scheduled_at = NULL
              FROM due WHERE j.id = due.id
              RETURNING j.id, 'Scheduled'::text AS old_state, j.queue AS old_queue, 'Enqueued'::text AS new_state, j.queue AS new_queue,
                        j.retry_count AS old_retry, j.retry_count AS new_retry
            ),
            hist AS (
              INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
              SELECT id, 'Enqueued', 'Triggered by the delayed job scheduler', jsonb_build_object('EnqueuedAt', @now_text::text), @now FROM upd
            ),
            {{Counters(s, "upd", withRetries: true)}},
            notified AS (
              SELECT {{notify}} FROM (SELECT DISTINCT new_queue AS queue FROM upd) x
            )
            SELECT count(*), (SELECT count(*) FROM notified) FROM upd
            """;

        AnnounceServer = $"""
            INSERT INTO {s}.server (id, worker_count, queues, started_at, last_heartbeat)
            VALUES (@id, @workers, @queues, @started, @now)
            ON CONFLICT (id) DO UPDATE SET worker_count = excluded.worker_count, queues = excluded.queues,
                                           started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat
            """;

        Heartbeat = $"UPDATE {s}.server SET last_heartbeat = @now WHERE id = @id";

        // Both removals requeue in the same statement as the delete, so a server's jobs are never lost in between.
        RemoveServer = RequeueServersJobs(s, notify, $"DELETE FROM {s}.server WHERE id = @id RETURNING id", "SELECT @id::text AS id UNION SELECT id FROM srv");
        RemoveTimedOutServers = RequeueServersJobs(s, notify, $"DELETE FROM {s}.server WHERE last_heartbeat < @cutoff RETURNING id", "SELECT id FROM srv");

        GetJobsNoLongerHeld = $"""
            SELECT x.id FROM unnest(@ids::bigint[]) AS x(id)
            WHERE NOT EXISTS (SELECT 1 FROM {s}.job j WHERE j.id = x.id AND j.state = 'Processing' AND j.server_id = @server)
            """;

        // The runs of the jobs deleted are added to task_statistics_daily by the same statement, from what the delete
        // returned: a job is counted there exactly when it leaves the job table, even when passes overlap or a pass is retried.
        DeleteExpired = $$"""
            WITH expired AS MATERIALIZED (
              SELECT id FROM {{s}}.job
              WHERE expire_at <= @now
              ORDER BY expire_at
              LIMIT @batch
              FOR UPDATE SKIP LOCKED
            ),
            hist AS (
              DELETE FROM {{s}}.job_history h USING expired e WHERE h.job_id = e.id
            ),
            logs AS (
              DELETE FROM {{s}}.job_log l USING expired e WHERE l.job_id = e.id
            ),
            del AS (
              DELETE FROM {{s}}.job j USING expired e WHERE j.id = e.id
              RETURNING j.id, j.state AS old_state, j.queue AS old_queue, NULL::text AS new_state, NULL::text AS new_queue,
                        j.type, j.method, j.recurring_job_id, j.state_changed_at, {{DurationMilliseconds("j")}} AS duration_ms
            ),
            {{Counters(s, "del")}},
            folded AS (
              INSERT INTO {{s}}.task_statistics_daily AS t
                (day, type, method, recurring_job_id, succeeded, failed, timed, total_duration_ms, max_duration_ms)
              SELECT (state_changed_at AT TIME ZONE 'UTC')::date, type, method, coalesce(recurring_job_id, ''),
                     count(*) FILTER (WHERE old_state = 'Succeeded'), count(*) FILTER (WHERE old_state = 'Failed'),
                     count(duration_ms), coalesce(sum(duration_ms), 0), max(duration_ms)
              FROM del
              -- Days older than those kept are left out, so "pruned" never meets a row this adds to.
              WHERE old_state IN ('Succeeded', 'Failed') AND (state_changed_at AT TIME ZONE 'UTC')::date >= @oldest_statistics_day
              GROUP BY 1, 2, 3, 4
              ORDER BY 1, 2, 3, 4 -- one lock order for concurrent passes
              ON CONFLICT (day, type, method, recurring_job_id) DO UPDATE SET
                succeeded = t.succeeded + excluded.succeeded,
                failed = t.failed + excluded.failed,
                timed = t.timed + excluded.timed,
                total_duration_ms = t.total_duration_ms + excluded.total_duration_ms,
                max_duration_ms = greatest(t.max_duration_ms, excluded.max_duration_ms)
            ),
            pruned AS (
              DELETE FROM {{s}}.task_statistics_daily WHERE day < @oldest_statistics_day
            )
            SELECT count(*) FROM del
            """;

        AggregateCounters = $"""
            WITH moved AS (
              DELETE FROM {s}.counter c
              WHERE c.id IN (SELECT id FROM {s}.counter ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED)
              RETURNING c.key, c.value
            ),
            summed AS (
              SELECT key, sum(value)::bigint AS value FROM moved GROUP BY key
            ),
            upserted AS (
              INSERT INTO {s}.counter_total AS t (key, value)
              SELECT key, value FROM summed ORDER BY key
              ON CONFLICT (key) DO UPDATE SET value = t.value + excluded.value
              RETURNING 1
            )
            SELECT count(*) FROM moved
            """;

        AddOrUpdateRecurring = $"""
            INSERT INTO {s}.recurring_job AS r (id, type, method, parameter_types, arguments, cron, time_zone_id, queue, misfire,
                                                 allow_overlap, next_execution, created_at, updated_at)
            VALUES (@id, @type, @method, @ptypes, @args, @cron, @tz, @queue, @misfire, @overlap, @next, @now, @now)
            ON CONFLICT (id) DO UPDATE SET
              type = excluded.type, method = excluded.method, parameter_types = excluded.parameter_types,
              arguments = excluded.arguments, queue = excluded.queue, misfire = excluded.misfire,
              allow_overlap = excluded.allow_overlap, updated_at = excluded.updated_at,
              next_execution = CASE WHEN r.cron <> excluded.cron OR r.time_zone_id <> excluded.time_zone_id OR r.next_execution IS NULL
                                    THEN excluded.next_execution ELSE r.next_execution END,
              cron = excluded.cron, time_zone_id = excluded.time_zone_id
            """;

        RemoveRecurring = $"DELETE FROM {s}.recurring_job WHERE id = @id";

        SetRecurringPaused = $"""
            UPDATE {s}.recurring_job
            SET paused = @paused, updated_at = @now,
                next_execution = CASE WHEN @paused THEN next_execution ELSE @next END
            WHERE id = @id
            """;

        var recurringColumns = """
            r.id, r.type, r.method, r.parameter_types, r.arguments, r.cron, r.time_zone_id, r.queue, r.misfire, r.allow_overlap,
            r.paused, r.next_execution, r.last_execution, r.last_job_id, j.state, r.created_at, r.last_skip_reason, r.last_skipped_at
            """;

        RecurringColumns = recurringColumns;

        GetRecurring = $"""
            SELECT {recurringColumns}
            FROM {s}.recurring_job r LEFT JOIN {s}.job j ON j.id = r.last_job_id
            WHERE r.id = @id
            """;

        GetDueRecurring = $"""
            SELECT {recurringColumns}
            FROM {s}.recurring_job r LEFT JOIN {s}.job j ON j.id = r.last_job_id
            WHERE NOT r.paused AND r.next_execution <= @now
            ORDER BY r.next_execution, r.id
            LIMIT @limit
            """;

        ClaimRecurring = $"""
            WITH claimed AS (
              UPDATE {s}.recurring_job SET next_execution = @next
              WHERE id = @id AND next_execution = @expected AND NOT paused
              RETURNING id, last_job_id
            )
            SELECT c.id, j.state FROM claimed c LEFT JOIN {s}.job j ON j.id = c.last_job_id
            """;

        RecordRecurringSkip = $"UPDATE {s}.recurring_job SET last_skip_reason = @reason, last_skipped_at = @at WHERE id = @id";
    }

    public string CreateJobs { get; }

    public string FetchNext { get; }

    /// <summary>Makes the current transaction commit without waiting for its WAL flush.</summary>
    public string RelaxCommit { get; }

    /// <summary><see cref="CreateJobs"/> without the notification: the caller announces the queues after its commit.</summary>
    public string CreateJobsUnannounced { get; }

    /// <summary>
    /// <see cref="CreateJobs"/> for one job that is neither a continuation nor a recurring job's run (every client
    /// Enqueue and Schedule): no input set, parent lookup or recurring update to plan and run, and positional parameters
    /// ($1 type, $2 method, $3 parameter types, $4 arguments, $5 queue, $6 state, $7 reason, $8 state data, $9 scheduled
    /// at, $10 now, $11 expire at), so the client does not parse the statement for names either. Returns the id and the
    /// queue when Enqueued.
    /// </summary>
    public string CreatePlainJob { get; }

    /// <summary><see cref="CreatePlainJob"/> without the notification.</summary>
    public string CreatePlainJobUnannounced { get; }

    /// <summary>Notifies listeners of queues (@queues) in a transaction of its own, committed without waiting for the WAL flush.</summary>
    public string AnnounceQueues { get; }

    public string ChangeStates { get; }

    public string ReleaseContinuations { get; }

    public string FindCreatedJobs { get; }

    /// <summary>Whether any of @queues holds an Enqueued job (the partial fetch index answers it).</summary>
    public string AnyEnqueued { get; }

    public string GetJob { get; }

    public string EnqueueDueScheduled { get; }

    public string AnnounceServer { get; }

    public string Heartbeat { get; }

    public string RemoveServer { get; }

    public string RemoveTimedOutServers { get; }

    public string GetJobsNoLongerHeld { get; }

    /// <summary>Deletes up to @batch jobs expired at @now with their history and log lines, adds their runs to task_statistics_daily and drops its days before @oldest_statistics_day; returns how many jobs.</summary>
    public string DeleteExpired { get; }

    public string AggregateCounters { get; }

    public string AddOrUpdateRecurring { get; }

    public string RemoveRecurring { get; }

    public string SetRecurringPaused { get; }

    /// <summary>The columns <see cref="PostgreSqlReaders.ReadRecurringJob"/> reads, over <c>recurring_job r LEFT JOIN job j ON j.id = r.last_job_id</c>.</summary>
    public string RecurringColumns { get; }

    public string GetRecurring { get; }

    public string GetDueRecurring { get; }

    public string ClaimRecurring { get; }

    public string RecordRecurringSkip { get; }

    /// <summary>
    /// The time a job's method took, from the <c>PerformanceDuration</c> of its Succeeded state, in milliseconds; null in
    /// other states and when the value is not a whole number of at most 18 digits (so the cast cannot fail). Over a job
    /// row aliased <paramref name="job"/>.
    /// </summary>
    public static string DurationMilliseconds(string job) => $$"""
        CASE WHEN {{job}}.state = 'Succeeded' AND {{job}}.state_data->>'PerformanceDuration' ~ '^[0-9]{1,18}$'
             THEN ({{job}}.state_data->>'PerformanceDuration')::bigint END
        """;

    /// <summary>
    /// A CTE named <c>cnt</c> appending counter deltas for the rows of <paramref name="source"/>, which has the columns
    /// old_state, old_queue, new_state, new_queue (null when the job is created or removed). Needs @hour and @day.
    /// </summary>
    private static string Counters(string s, string source, bool withRetries = false) => $"""
        cnt AS (
          INSERT INTO {s}.counter (key, value)
          SELECT k, sum(v) FROM (
            SELECT 'state:' || old_state AS k, -1 AS v FROM {source} WHERE old_state IS NOT NULL
            UNION ALL SELECT 'state:' || new_state, 1 FROM {source} WHERE new_state IS NOT NULL
            UNION ALL SELECT 'queue:' || old_queue, -1 FROM {source} WHERE old_state = 'Enqueued'
            UNION ALL SELECT 'queue:' || new_queue, 1 FROM {source} WHERE new_state = 'Enqueued'
            UNION ALL SELECT 'stats:succeeded', 1 FROM {source} WHERE new_state = 'Succeeded' AND old_state IS NOT NULL AND old_state <> 'Succeeded'
            UNION ALL SELECT 'stats:succeeded:hour:' || @hour::text, 1 FROM {source} WHERE new_state = 'Succeeded' AND old_state IS NOT NULL AND old_state <> 'Succeeded'
            UNION ALL SELECT 'stats:succeeded:day:' || @day::text, 1 FROM {source} WHERE new_state = 'Succeeded' AND old_state IS NOT NULL AND old_state <> 'Succeeded'
            UNION ALL SELECT 'stats:failed', 1 FROM {source} WHERE new_state = 'Failed' AND old_state IS NOT NULL AND old_state <> 'Failed'
            UNION ALL SELECT 'stats:failed:hour:' || @hour::text, 1 FROM {source} WHERE new_state = 'Failed' AND old_state IS NOT NULL AND old_state <> 'Failed'
            UNION ALL SELECT 'stats:failed:day:' || @day::text, 1 FROM {source} WHERE new_state = 'Failed' AND old_state IS NOT NULL AND old_state <> 'Failed'
            {(withRetries ? RetryDeltas(source) : string.Empty)}
          ) d
          GROUP BY k
          HAVING sum(v) <> 0
        )
        """;

    /// <summary>
    /// Deltas of <c>retries</c> (Scheduled jobs waiting for another attempt: retry_count &gt; 0); needs old_retry and new_retry.
    /// Only state changes and the delayed-job scheduler move jobs into or out of that set.
    /// </summary>
    private static string RetryDeltas(string source) => $"""
        UNION ALL SELECT 'retries', -1 FROM {source} WHERE old_state = 'Scheduled' AND old_retry > 0
                    UNION ALL SELECT 'retries', 1 FROM {source} WHERE new_state = 'Scheduled' AND new_retry > 0
        """;

    /// <summary>
    /// Writes jobs, their first history entries and counter deltas; returns per job its id, or the missing parent, and the
    /// queue when it was Enqueued. With <paramref name="notify"/> the statement also notifies listeners (they are woken when
    /// the transaction commits); without, the caller announces the queues after the commit.
    /// </summary>
    private static string CreateJobsSql(string s, string? notify)
    {
        var notified = notify is null
            ? string.Empty
            : $",\n    notified AS (SELECT {notify} FROM (SELECT DISTINCT new_queue AS queue FROM ins WHERE new_state = 'Enqueued') x)";
        var notifiedCount = notify is null ? "0" : "(SELECT count(*) FROM notified)";
        return $$"""
        WITH input AS MATERIALIZED (
          SELECT i.*, nextval('{{s}}.job_id_seq') AS id,
                 CASE WHEN i.parent ~ '^[0-9]{1,18}$' THEN i.parent::bigint END AS parent_id
          FROM unnest(@type::text[], @method::text[], @ptypes::text[], @args::text[], @queue::text[], @state::text[],
                      @reason::text[], @data::text[], @scheduled::timestamptz[], @parent::text[], @copt::smallint[], @rec::text[])
               WITH ORDINALITY AS i(type, method, ptypes, args, queue, state, reason, data, scheduled_at, parent, copt, recurring_job_id, ord)
        ),
        parents AS MATERIALIZED (
          -- = ANY (ARRAY(...)): the ids are collected once and looked up through the primary key, whatever
          -- the planner believes of the input's size (an IN semi-join here was planned as a scan of every job).
          SELECT p.id, p.state FROM {{s}}.job p
          WHERE p.id = ANY (ARRAY(SELECT parent_id FROM input WHERE parent_id IS NOT NULL))
          FOR SHARE
        ),
        -- A continuation whose parent does not exist is a bad call: nothing of the batch is written, the
        -- missing parents are returned instead and the caller gets an ArgumentException.
        missing AS MATERIALIZED (
          SELECT i.ord, i.parent FROM input i
          WHERE i.state = 'Awaiting' AND NOT EXISTS (SELECT 1 FROM parents p WHERE p.id = i.parent_id)
        ),
        resolved AS MATERIALIZED (
          SELECT i.*,
            CASE WHEN i.state <> 'Awaiting' THEN i.state
                 WHEN p.state = 'Succeeded' THEN 'Enqueued'
                 WHEN p.state = 'Deleted' THEN CASE WHEN i.copt = 1 THEN 'Enqueued' ELSE 'Deleted' END
                 ELSE 'Awaiting' END AS final_state,
            CASE WHEN i.state <> 'Awaiting' THEN NULL
                 WHEN p.state = 'Succeeded' THEN 'Parent job ' || i.parent || ' already succeeded'
                 WHEN p.state = 'Deleted' THEN 'Parent job ' || i.parent || ' was already deleted'
            END AS auto_reason
          FROM input i LEFT JOIN parents p ON p.id = i.parent_id
          WHERE NOT EXISTS (SELECT 1 FROM missing)
        ),
        ins AS (
          INSERT INTO {{s}}.job (id, type, method, parameter_types, arguments, queue, state, state_reason, state_data,
                                 state_changed_at, created_at, enqueued_at, scheduled_at, expire_at, parent_id,
                                 continuation_options, recurring_job_id)
          SELECT r.id, r.type, r.method, string_to_array(r.ptypes, chr(31)), r.args, r.queue, r.final_state,
                 coalesce(r.auto_reason, r.reason), CASE WHEN r.auto_reason IS NULL THEN r.data::jsonb ELSE '{}'::jsonb END,
                 @now, @now,
                 CASE WHEN r.final_state = 'Enqueued' THEN @now END,
                 CASE WHEN r.final_state = 'Scheduled' THEN r.scheduled_at END,
                 CASE WHEN r.final_state IN ('Succeeded', 'Deleted') THEN @expire END,
                 r.parent_id, r.copt, r.recurring_job_id
          FROM resolved r
          RETURNING id, NULL::text AS old_state, NULL::text AS old_queue, state AS new_state, queue AS new_queue
        ),
        hist AS (
          INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
          SELECT id, state, reason, data, @now FROM (
            SELECT r.id, r.ord, 0 AS step, r.state, r.reason, r.data::jsonb AS data FROM resolved r WHERE r.auto_reason IS NOT NULL
            UNION ALL
            SELECT r.id, r.ord, 1, r.final_state, coalesce(r.auto_reason, r.reason),
                   CASE WHEN r.auto_reason IS NULL THEN r.data::jsonb ELSE '{}'::jsonb END FROM resolved r
          ) h ORDER BY ord, step
        ),
        {{Counters(s, "ins")}},
        rec AS (
          UPDATE {{s}}.recurring_job rj SET last_job_id = x.id, last_execution = @last_execution
          FROM (SELECT recurring_job_id, max(id) AS id FROM resolved WHERE recurring_job_id IS NOT NULL GROUP BY recurring_job_id) x
          WHERE rj.id = x.recurring_job_id
        ){{notified}}
        SELECT x.id, x.missing_parent, x.enqueued_queue FROM (
          SELECT r.ord, r.id, NULL::text AS missing_parent, CASE WHEN r.final_state = 'Enqueued' THEN r.queue END AS enqueued_queue,
                 {{notifiedCount}} AS notified
          FROM resolved r
          UNION ALL
          SELECT m.ord, NULL, m.parent, NULL, 0 FROM missing m
        ) x ORDER BY x.ord
        """;
    }

    private static string CreatePlainJobSql(string s, string? notify)
    {
        var notified = notify is null
            ? string.Empty
            : $",\n    notified AS (SELECT {notify} FROM (SELECT queue FROM ins WHERE state = 'Enqueued') x)";
        var notifiedCount = notify is null ? "0" : "(SELECT count(*) FROM notified)";
        return $$"""
        WITH ins AS (
          INSERT INTO {{s}}.job (type, method, parameter_types, arguments, queue, state, state_reason, state_data,
                                 state_changed_at, created_at, enqueued_at, scheduled_at, expire_at)
          VALUES ($1::text, $2::text, string_to_array($3::text, chr(31)), $4::text, $5::text, $6::text, $7::text, $8::jsonb,
                  $10::timestamptz, $10::timestamptz,
                  CASE WHEN $6::text = 'Enqueued' THEN $10::timestamptz END,
                  CASE WHEN $6::text = 'Scheduled' THEN $9::timestamptz END,
                  CASE WHEN $6::text IN ('Succeeded', 'Deleted') THEN $11::timestamptz END)
          RETURNING id, state, queue
        ),
        hist AS (
          INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
          SELECT id, state, $7::text, $8::jsonb, $10::timestamptz FROM ins
        ),
        cnt AS (
          INSERT INTO {{s}}.counter (key, value)
          SELECT 'state:' || state, 1 FROM ins
          UNION ALL SELECT 'queue:' || queue, 1 FROM ins WHERE state = 'Enqueued'
        ){{notified}}
        SELECT id, CASE WHEN state = 'Enqueued' THEN queue END AS enqueued_queue, {{notifiedCount}} AS notified FROM ins
        """;
    }

    private static string RequeueServersJobs(string s, string notify, string deleteServers, string serverIds) => $$"""
        WITH srv AS (
          {{deleteServers}}
        ),
        held AS MATERIALIZED (
          SELECT j.id, j.server_id FROM {{s}}.job j
          WHERE j.state = 'Processing' AND j.server_id IN ({{serverIds}})
          ORDER BY j.id
          FOR UPDATE
        ),
        upd AS (
          UPDATE {{s}}.job j SET state = 'Enqueued', state_reason = 'Requeued: server ' || h.server_id || ' was removed (' || @reason::text || ')',
                                 state_data = jsonb_build_object('EnqueuedAt', @now_text::text), state_changed_at = @now,
                                 enqueued_at = @now, server_id = NULL
          FROM held h WHERE j.id = h.id AND j.state = 'Processing'
          RETURNING j.id, j.state_reason, 'Processing'::text AS old_state, j.queue AS old_queue, 'Enqueued'::text AS new_state, j.queue AS new_queue
        ),
        hist AS (
          INSERT INTO {{s}}.job_history (job_id, state, reason, data, created_at)
          SELECT id, 'Enqueued', state_reason, jsonb_build_object('EnqueuedAt', @now_text::text), @now FROM upd
        ),
        {{Counters(s, "upd")}},
        notified AS (
          SELECT {{notify}} FROM (SELECT DISTINCT new_queue AS queue FROM upd) x
        )
        SELECT (SELECT count(*) FROM upd), (SELECT count(*) FROM notified), (SELECT array_agg(id) FROM srv)
        """;
}
