using System.Diagnostics;
using System.Globalization;
using Jobs.Common;
using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Benchmarks;

/// <summary>
/// The dashboard's read side over a large table: loads jobs through the storage's own bulk insert (so rows,
/// history and counters are exactly what the storage writes), in a realistic mix of states spread over 30 days,
/// then times every <see cref="IMonitoringApi"/> method (median of several runs). <see cref="DashboardPages"/>
/// renders the dashboard over the same load.
/// </summary>
internal static class ReadSide
{
    private const int Chunk = 5_000;
    private const int Runs = 7;
    private const int RecurringJobs = 10;
    private static readonly TimeSpan Span = TimeSpan.FromDays(30);

    /// <summary>Loads <paramref name="total"/> jobs and what the storage would have written around them; returns where to look.</summary>
    public static async Task<ReadSideData> SeedAsync(PostgreSqlJobStorage storage, BenchDatabase db, int total)
    {
        var client = new BackgroundJobClient(storage);
        var templateId = client.Enqueue<BenchJobs>(j => j.Work(1, "customer-000001"));
        var template = (await storage.GetJobAsync(templateId, CancellationToken.None))!.Invocation;
        var noop = (await storage.GetJobAsync(client.Enqueue<BenchJobs>(j => j.Noop()), CancellationToken.None))!.Invocation;
        await db.ResetAsync();

        var end = DateTimeOffset.UtcNow;
        var start = end - Span;
        for (var k = 0; k < RecurringJobs; k++)
        {
            await storage.AddOrUpdateRecurringJobAsync(
                new RecurringJobDefinition($"report-{k}", template, "0 * * * *", "UTC", "default", end.AddHours(1)),
                CancellationToken.None);
        }

        var watch = Stopwatch.StartNew();
        var loaders = 2;
        var perLoader = total / loaders;
        var tasks = new List<Task>();
        for (var l = 0; l < loaders; l++)
        {
            var from = l * perLoader;
            var to = l == loaders - 1 ? total : from + perLoader;
            tasks.Add(Task.Run(() => LoadAsync(db, from, to, total, start, end, template, noop)));
        }

        await Task.WhenAll(tasks);
        Harness.Info($"read side: loaded {total:N0} jobs through the storage in {watch.Elapsed.TotalSeconds:0} s");

        // What the storage writes over a job's life that a bulk create does not: the earlier history entries of
        // finished jobs, retry counts of retries, the server of Processing jobs, and the hourly / daily counters.
        var s = db.Schema;
        await db.ExecuteAsync($"""
            INSERT INTO {s}.job_history (job_id, state, reason, data, created_at)
            SELECT j.id, x.state, NULL, x.data, j.created_at
            FROM {s}.job j CROSS JOIN LATERAL (VALUES
                   ('Enqueued', jsonb_build_object('EnqueuedAt', to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'Queue', j.queue)),
                   ('Processing', jsonb_build_object('ServerId', 'bench-server:0000', 'WorkerId', '1'))) x(state, data)
            WHERE j.state IN ('Succeeded', 'Failed')
            """);
        await db.ExecuteAsync($"UPDATE {s}.job SET retry_count = 1 + id % 5 WHERE state = 'Scheduled' AND id % 2 = 0");
        await db.ExecuteAsync($"UPDATE {s}.job SET server_id = 'bench-server:000' || (id % 3) WHERE state = 'Processing'");
        await db.ExecuteAsync($"""
            INSERT INTO {s}.counter_total (key, value)
            SELECT 'stats:' || st || ':hour:' || to_char(h AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), CASE st WHEN 'succeeded' THEN 1250 ELSE 70 END
            FROM generate_series(date_trunc('hour', now()) - interval '30 days', date_trunc('hour', now()), interval '1 hour') h,
                 (VALUES ('succeeded'), ('failed')) v(st)
            UNION ALL
            SELECT 'stats:' || st || ':day:' || to_char(d AT TIME ZONE 'UTC', 'YYYY-MM-DD'), CASE st WHEN 'succeeded' THEN 30000 ELSE 1680 END
            FROM generate_series(date_trunc('day', now()) - interval '30 days', date_trunc('day', now()), interval '1 day') d,
                 (VALUES ('succeeded'), ('failed')) v(st)
            ON CONFLICT (key) DO UPDATE SET value = {s}.counter_total.value + excluded.value
            """);
        // The year before the load as expiration leaves it: per UTC day and task, the figures of the jobs it removed
        // (about as many runs a day as the load has), so the task statistics read a table of realistic size.
        await db.ExecuteWithParametersAsync($"""
            INSERT INTO {s}.task_statistics_daily (day, type, method, recurring_job_id, succeeded, failed, timed, total_duration_ms, max_duration_ms)
            SELECT (@start AT TIME ZONE 'UTC')::date - d, t.type, t.method, t.recurring_job_id, t.runs * 18 / 19, t.runs / 19, t.runs * 18 / 19, t.runs * 18 / 19 * 3, 250
            FROM generate_series(1, 400) d,
                 (SELECT @work_type AS type, @work_method AS method, '' AS recurring_job_id, @per_day * 89 / 100 AS runs
                  UNION ALL SELECT @noop_type, @noop_method, '', @per_day / 10
                  UNION ALL SELECT @work_type, @work_method, 'report-' || k, @per_day / 100 / {RecurringJobs} FROM generate_series(0, {RecurringJobs - 1}) k) t
            """,
            ("start", start),
            ("work_type", template.Type),
            ("work_method", template.Method),
            ("noop_type", noop.Type),
            ("noop_method", noop.Method),
            ("per_day", (long)(total / Span.TotalDays)));
        for (var k = 0; k < 3; k++)
        {
            await storage.AnnounceServerAsync(new ServerAnnouncement($"bench-server:000{k}", 20, ["default", "critical"], end), CancellationToken.None);
        }

        // Nothing is due (scheduled times are in the future): this only folds the counter deltas, as servers do every second.
        await storage.EnqueueDueScheduledJobsAsync(end, 1, CancellationToken.None);
        await db.ExecuteAsync($"VACUUM ANALYZE {s}.job");
        await db.ExecuteAsync($"VACUUM ANALYZE {s}.job_history");
        await db.ExecuteAsync($"VACUUM ANALYZE {s}.counter_total");
        await db.ExecuteAsync($"VACUUM ANALYZE {s}.task_statistics_daily");
        await db.ExecuteAsync("CHECKPOINT");
        Harness.Info($"read side: data prepared in {watch.Elapsed.TotalSeconds:0} s; {await db.ScalarAsync<string>($"SELECT pg_size_pretty(pg_total_relation_size('{s}.job'))")} in job");

        var middle = await db.ScalarAsync<long>($"SELECT id FROM {s}.job WHERE state = 'Succeeded' AND id > (SELECT max(id) / 2 FROM {s}.job) ORDER BY id LIMIT 1");
        var failed = await db.ScalarAsync<long>($"SELECT id FROM {s}.job WHERE state = 'Failed' ORDER BY id DESC LIMIT 1");
        return new ReadSideData(
            total,
            end,
            middle.ToString(CultureInfo.InvariantCulture),
            failed.ToString(CultureInfo.InvariantCulture),
            "report-3",
            string.Create(CultureInfo.InvariantCulture, $"customer-{OneJobWithArguments(total):D7}"));
    }

    /// <summary>
    /// Times every <see cref="IMonitoringApi"/> method on the loaded data; returns the slowest median of the dashboard's
    /// queries and the median of the weekly report's task statistics over 7 days of stored jobs, in milliseconds.
    /// </summary>
    public static async Task<(double DashboardMax, double TaskStatistics)> MeasureQueriesAsync(PostgreSqlJobStorage storage, ReadSideData data)
    {
        var (total, end, middle, failed) = (data.Total, data.End, data.SucceededJobId, data.FailedJobId);
        var m = storage.Monitoring;
        var none = CancellationToken.None;
        var queries = new List<(string Name, Func<Task<int>> Run)>
        {
            ("statistics", async () => { await m.GetStatisticsAsync(none); return 1; }),
        };
        foreach (var state in new[] { "Enqueued", "Scheduled", "Processing", "Succeeded", "Failed", "Deleted", "Awaiting" })
        {
            queries.Add(($"page 1 of {state}", async () => (await m.GetJobsAsync(state, 0, 20, none)).Count));
        }

        queries.Add(("page 500 of Succeeded (skip 9,980)", async () => (await m.GetJobsAsync("Succeeded", 9_980, 20, none)).Count));
        queries.Add(("page 500 of Failed (skip 9,980)", async () => (await m.GetJobsAsync("Failed", 9_980, 20, none)).Count));
        queries.Add(("retries", async () => (await m.GetRetriesAsync(0, 20, none)).Count));
        queries.Add(("enqueued in 'default'", async () => (await m.GetEnqueuedJobsAsync("default", 0, 20, none)).Count));
        queries.Add(("job details (succeeded)", async () => (await m.GetJobDetailsAsync(middle, none))!.History.Count));
        queries.Add(("job details (failed)", async () => (await m.GetJobDetailsAsync(failed, none))!.History.Count));
        queries.Add(("queues (5 first jobs each)", async () => (await m.GetQueuesAsync(5, none)).Count));
        queries.Add(("servers", async () => (await m.GetServersAsync(none)).Count));
        queries.Add(("recurring jobs", async () => (await m.GetRecurringJobsAsync(none)).Count));
        queries.Add(("recurring runs (20)", async () => (await m.GetRecurringJobRunsAsync(data.RecurringJobId, 20, none)).Count));
        queries.Add(("hourly timeline (24 h)", async () => (await m.GetHourlyTimelineAsync(end, 24, none)).Count));
        queries.Add(("daily timeline (30 d)", async () => (await m.GetDailyTimelineAsync(end, 30, none)).Count));
        queries.Add(("search by id", async () => (await m.SearchJobsAsync(middle, 20, none)).Count));
        queries.Add(("search by method name", async () => (await m.SearchJobsAsync("Work", 20, none)).Count));
        queries.Add(("search by type name", async () => (await m.SearchJobsAsync("BenchJobs", 20, none)).Count));
        queries.Add(("search argument text (1 match)", async () => (await m.SearchJobsAsync(data.SingleMatchArgument, 20, none)).Count));
        queries.Add(("search argument text (many)", async () => (await m.SearchJobsAsync("customer-05", 20, none)).Count));
        queries.Add(("search argument text (none)", async () => (await m.SearchJobsAsync("no-such-customer", 20, none)).Count));

        Console.WriteLine();
        Console.WriteLine($"read side, {total:N0} jobs: median of {Runs} runs after one warm-up");
        Console.WriteLine($"{"query",-40} {"median ms",10} {"min ms",8} {"max ms",8} {"rows",6}");
        Console.WriteLine(new string('-', 76));
        var worst = 0.0;
        foreach (var (name, run) in queries)
        {
            worst = Math.Max(worst, await TimeAsync(name, run));
        }

        // The weekly report's query, not the dashboard's: the jobs of the week still stored are read one by one (all of
        // them here, where nothing has expired), the expired ones as a few rows per task and day.
        var taskStatistics = await TimeAsync("task statistics (7 d, jobs stored)", async () => (await m.GetTaskStatisticsAsync(end.AddDays(-7), end, none)).Count);
        await TimeAsync("task statistics (7 d, jobs expired)", async () => (await m.GetTaskStatisticsAsync(end - Span - TimeSpan.FromDays(7), end - Span, none)).Count);
        return (worst, taskStatistics);
    }

    /// <summary>Runs the query once as a warm-up, then <see cref="Runs"/> timed times; prints and returns the median.</summary>
    private static async Task<double> TimeAsync(string name, Func<Task<int>> run)
    {
        var rows = await run();
        var times = new List<double>(Runs);
        for (var r = 0; r < Runs; r++)
        {
            var t = Stopwatch.StartNew();
            rows = await run();
            times.Add(t.Elapsed.TotalMilliseconds);
        }

        var median = Percentiles.Median(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {median,10:0.00} {times.Min(),8:0.00} {times.Max(),8:0.00} {rows,6}"));
        return median;
    }

    private static async Task LoadAsync(BenchDatabase db, int from, int to, int total, DateTimeOffset start, DateTimeOffset end, InvocationData template, InvocationData noop)
    {
        var clock = new SettableTime();
        // Kept for 60 days, so none of the loaded jobs counts as expired.
        var options = new PostgreSqlStorageOptions { SchemaName = db.SchemaName, PrepareSchemaIfNecessary = false, JobRetention = TimeSpan.FromDays(60) };
        await using var storage = new PostgreSqlJobStorage(db.ConnectionString, options, clock);
        var failure = MakeException();
        var succeeded = new SucceededState(null, TimeSpan.FromMilliseconds(12), TimeSpan.FromMilliseconds(3));
        var failedState = new FailedState(failure, "Retry attempts exceeded") { ServerId = "bench-server:0000" };
        var deleted = new DeletedState("Deleted by the dashboard");
        var enqueued = new EnqueuedState();
        var critical = new EnqueuedState("critical");
        var processing = new ProcessingState("bench-server:0000", "3");
        for (var chunkStart = from; chunkStart < to; chunkStart += Chunk)
        {
            var count = Math.Min(Chunk, to - chunkStart);
            // Jobs are created over 30 days, oldest first; the last ones are the ones still waiting.
            clock.Now = start + (Span * ((double)chunkStart / total));
            var jobs = new NewJob[count];
            for (var i = 0; i < count; i++)
            {
                var n = chunkStart + i;
                var bucket = n % 200;
                IState state = bucket switch
                {
                    < 180 => succeeded,      // 90 %
                    < 190 => failedState,    // 5 %
                    < 193 => n % 2 == 0 ? enqueued : critical, // 1.5 %
                    < 196 => new ScheduledState(end.AddHours(1 + (n % 48))), // 1.5 %
                    < 197 => processing,     // 0.5 %
                    _ => deleted,            // 1.5 %
                };
                var invocation = n % 10 == 9
                    ? noop
                    : template with { Arguments = string.Create(CultureInfo.InvariantCulture, $"[{n},\"customer-{n:D7}\"]") };
                jobs[i] = new NewJob(invocation, "default", state) { RecurringJobId = n % 100 == 0 ? $"report-{n / 100 % RecurringJobs}" : null };
            }

            await storage.CreateJobsAsync(jobs, CancellationToken.None);
        }
    }

    /// <summary>A job number past the middle whose job has arguments (every tenth job has none): 543,210 of a million.</summary>
    private static int OneJobWithArguments(int total)
    {
        var n = (int)(total * 0.54321);
        return n % 10 == 9 ? n - 1 : n;
    }

    private static InvalidOperationException MakeException()
    {
        try
        {
            throw new InvalidOperationException("The report service answered 503 Service Unavailable.");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }

    private sealed class SettableTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
