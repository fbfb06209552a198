namespace Jobs.PostgreSql;

/// <summary>The statements of job logs (see <c>Migrations/003_job_log.sql</c>), rendered once for a schema.</summary>
internal sealed class PostgreSqlJobLogQueries
{
    public PostgreSqlJobLogQueries(string schema)
    {
        var s = schema;

        // One statement for the lines of many jobs. Each job keeps its first @max lines (marker excluded); what
        // comes beyond, and what the writer already dropped, adds up in the job's one marker row. Lines of jobs
        // that no longer exist are left out. The kept lines take their ids in the order they were written.
        AppendLines = $"""
            WITH input AS (
              SELECT t.job_id, t.logged_at, t.level, t.message, t.ord
              FROM unnest(@job_ids::bigint[], @times::timestamptz[], @levels::smallint[], @messages::text[])
                   WITH ORDINALITY AS t(job_id, logged_at, level, message, ord)
            ),
            extra AS (
              SELECT d.job_id, d.dropped FROM unnest(@drop_job_ids::bigint[], @drop_counts::bigint[]) AS d(job_id, dropped)
            ),
            jobs AS (
              SELECT j.id AS job_id,
                     (SELECT count(*) FROM {s}.job_log l WHERE l.job_id = j.id AND l.dropped IS NULL) AS kept
              FROM {s}.job j
              WHERE j.id IN (SELECT job_id FROM input UNION SELECT job_id FROM extra)
            ),
            numbered AS (
              SELECT i.job_id, i.logged_at, i.level, i.message, i.ord,
                     jobs.kept + row_number() OVER (PARTITION BY i.job_id ORDER BY i.ord) AS position
              FROM input i JOIN jobs USING (job_id)
            ),
            overflow AS (
              SELECT o.job_id, sum(o.n)::bigint AS dropped, max(o.logged_at) AS logged_at
              FROM (
                SELECT job_id, 1::bigint AS n, logged_at FROM numbered WHERE position > @max
                UNION ALL
                SELECT e.job_id, e.dropped, NULL::timestamptz FROM extra e JOIN jobs USING (job_id)
              ) o
              GROUP BY o.job_id
            )
            INSERT INTO {s}.job_log AS l (job_id, logged_at, level, message, dropped)
            SELECT r.job_id, r.logged_at, r.level, r.message, r.dropped
            FROM (
              SELECT job_id, logged_at, level, message, NULL::bigint AS dropped, ord FROM numbered WHERE position <= @max
              UNION ALL
              SELECT job_id, coalesce(logged_at, @now), @marker_level, '', dropped, 9223372036854775807 FROM overflow WHERE dropped > 0
            ) r
            ORDER BY r.ord, r.job_id
            ON CONFLICT (job_id) WHERE dropped IS NOT NULL DO UPDATE SET dropped = l.dropped + excluded.dropped
            """;

        ReadLines = $"""
            SELECT id, logged_at, level, message, dropped
            FROM {s}.job_log
            WHERE job_id = @id AND id > @after
            ORDER BY id
            LIMIT @take
            """;
    }

    public string AppendLines { get; }

    public string ReadLines { get; }
}
