using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Threading.Channels;
using Jobs.PostgreSql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Benchmarks;

/// <summary>Runs every benchmark in a fresh schema (dropped at the end) and prints the table and the JSON line.</summary>
internal static class Harness
{
    public const int JobCount = 20_000;
    private const int ConcurrentCallers = 16;
    private const int PickupSamples = 200;
    private const int PickupWarmup = 20;
    private const int WarmUpJobs = 2_000;
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(6);

    public static ILoggerFactory CreateLoggerFactory() =>
        LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    public static async Task RunAsync(BenchOptions options)
    {
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..10];
        var results = new List<(string Key, string Label, double Value, string Unit)>();
        using var loggerFactory = CreateLoggerFactory();
        // The harness's own pool skips the reset on close, so that no reset statement of its own is counted as the engine's.
        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.Connection) { NoResetOnClose = true });
        var storage = new PostgreSqlJobStorage(options.Connection, new PostgreSqlStorageOptions { SchemaName = schema }, loggerFactory: loggerFactory);
        try
        {
            await storage.InitializeAsync(CancellationToken.None);
            var db = new BenchDatabase(admin, options.Connection, schema);
            var meter = new CostMeter(admin);
            Info($"schema {schema}; {await db.ScalarAsync<string>("SELECT version()")}");
            Info($"synchronous_commit={await db.ScalarAsync<string>("SHOW synchronous_commit")} fsync={await db.ScalarAsync<string>("SHOW fsync")}; nproc={Environment.ProcessorCount}");
            var client = new BackgroundJobClient(storage);

            // Warm-up (JIT up to the optimized tier, pools, prepared statements) of every path measured below, not measured:
            // the figures are those of a process that has been running for a while.
            for (var i = 0; i < WarmUpJobs; i++)
            {
                client.Enqueue<BenchJobs>(j => j.Noop());
            }

            await EnqueueFromConcurrentCallersAsync(client, WarmUpJobs);
            client.EnqueueMany(Enumerable.Range(0, WarmUpJobs).Select(_ => Noop()));
            await DrainAsync(options.Connection, schema, loggerFactory, db, 10, 0, 3 * WarmUpJobs, measure: false);

            if (options.Runs("enqueue"))
            {
                var (rate, cost) = await EnqueueOneByOneAsync(client, db, meter);
                results.Add(("enqueue_per_s", "enqueue, one at a time (20,000)", rate, "jobs/s"));
                AddCost(results, "enqueue", cost);
                (rate, cost) = await EnqueueConcurrentlyAsync(client, db, meter);
                results.Add(("enqueue_concurrent_per_s", $"enqueue, one per call, {ConcurrentCallers} callers", rate, "jobs/s"));
                AddCost(results, "enqueue_concurrent", cost);
            }

            if (options.Runs("bulk"))
            {
                results.Add(("enqueue_bulk_per_s", "enqueue, bulk EnqueueMany (20,000)", await EnqueueBulkAsync(client, db), "jobs/s"));
            }

            // Each worker count runs with the default (no jobs claimed ahead), then with as many claimed ahead as workers.
            foreach (var (workers, prefetch) in options.Runs("drain") ? new[] { (10, 0), (10, 10), (40, 0), (40, 40) } : [])
            {
                await db.ResetAsync();
                client.EnqueueMany(Enumerable.Range(0, JobCount).Select(_ => Noop()));
                await db.SettleAsync();
                var key = prefetch == 0 ? $"drain_{workers}" : $"drain_{workers}_prefetch";
                var before = await meter.TakeAsync();
                var perSecond = await DrainAsync(options.Connection, schema, loggerFactory, db, workers, prefetch, JobCount, measure: true);
                var cost = CostMeter.PerJob(before, await meter.TakeAsync(), JobCount);
                Info($"{key}: {cost}");
                results.Add(($"{key}_per_s", $"drain 20,000 no-ops, {workers} workers, {prefetch} ahead", perSecond, "jobs/s"));
                AddCost(results, key, cost);
            }

            if (options.Runs("pickup"))
            {
                await db.ResetAsync();
                var (pickup, idleRss, afterRss) = await PickupAsync(options, schema, client, db);
                results.Add(("pickup_p50_ms", "pickup latency p50 (other process)", pickup.P50, "ms"));
                results.Add(("pickup_p95_ms", "pickup latency p95", pickup.P95, "ms"));
                results.Add(("pickup_p99_ms", "pickup latency p99", pickup.P99, "ms"));
                results.Add(("pickup_max_ms", "pickup latency max", pickup.Max, "ms"));
                results.Add(("idle_rss_mb", "idle server RSS, 20 workers (child)", idleRss, "MB"));
                results.Add(("after_pickup_rss_mb", "same server after the pickup run", afterRss, "MB"));
            }

            if (options.ReadSide && (options.Runs("read") || options.Runs("dashboard")))
            {
                await db.ResetAsync();
                var data = await ReadSide.SeedAsync(storage, db, options.ReadSideJobs);
                if (options.Runs("read"))
                {
                    var (max, taskStatistics) = await ReadSide.MeasureQueriesAsync(storage, data);
                    results.Add(("read_query_max_ms", $"read side: slowest query median ({options.ReadSideJobs:N0} jobs)", max, "ms"));
                    results.Add(("task_statistics_7d_ms", "weekly report: task statistics, 7 days of stored jobs", taskStatistics, "ms"));
                }

                if (options.Runs("dashboard"))
                {
                    var max = await DashboardPages.RunAsync(db, data);
                    results.Add(("dashboard_page_max_ms", $"dashboard: slowest page median ({options.ReadSideJobs:N0} jobs)", max, "ms"));
                }
            }
        }
        finally
        {
            await storage.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            if (options.KeepSchema)
            {
                Info($"schema {schema} kept (--keep-schema): drop it with DROP SCHEMA \"{schema}\" CASCADE");
            }
            else
            {
                await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                await drop.ExecuteNonQueryAsync();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"benchmark",-52} {"value",12}  unit");
        Console.WriteLine(new string('-', 72));
        foreach (var (_, label, value, unit) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-52} {value,12:0.###}  {unit}"));
        }

        if (options.Json)
        {
            var json = new StringBuilder("{");
            foreach (var (key, _, value, _) in results)
            {
                json.Append(CultureInfo.InvariantCulture, $"\"{key}\":{Math.Round(value, 2).ToString(CultureInfo.InvariantCulture)},");
            }

            json.Length--;
            json.Append('}');
            Console.WriteLine(json.ToString());
        }
    }

    public static void Info(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    private static Expression<Action<BenchJobs>> Noop() => j => j.Noop();

    private static void AddCost(List<(string Key, string Label, double Value, string Unit)> results, string prefix, CostMeter.Cost cost)
    {
        results.Add(($"{prefix}_cpu_ms_per_job", $"  {prefix}: CPU of this process per job", cost.CpuMs, "ms"));
        if (cost.Statements is { } statements)
        {
            results.Add(($"{prefix}_statements_per_job", $"  {prefix}: PostgreSQL statements per job", statements, ""));
        }

        if (cost.ServerExecutionMs is { } execution)
        {
            results.Add(($"{prefix}_server_exec_ms_per_job", $"  {prefix}: PostgreSQL execution time per job", execution, "ms"));
        }

        if (cost.WalFlushes is { } flushes)
        {
            results.Add(($"{prefix}_wal_flushes_per_job", $"  {prefix}: WAL flushes per job", flushes, ""));
        }
    }

    private static async Task<(double Rate, CostMeter.Cost Cost)> EnqueueOneByOneAsync(BackgroundJobClient client, BenchDatabase db, CostMeter meter)
    {
        await db.ResetAsync();
        await db.SettleAsync();
        var before = await meter.TakeAsync();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < JobCount; i++)
        {
            client.Enqueue<BenchJobs>(j => j.Noop());
        }

        watch.Stop();
        var cost = CostMeter.PerJob(before, await meter.TakeAsync(), JobCount);
        await db.ExpectEnqueuedAsync(JobCount);
        var rate = JobCount / watch.Elapsed.TotalSeconds;
        Info($"enqueue one at a time: {watch.Elapsed.TotalMilliseconds:0} ms, {rate:0}/s; {cost}");
        return (rate, cost);
    }

    /// <summary>
    /// <see cref="ConcurrentCallers"/> callers (as web requests are) each enqueue one job per call, awaiting it before the
    /// next; every call is still its own durable transaction, and PostgreSQL flushes concurrent commits together.
    /// </summary>
    private static async Task<(double Rate, CostMeter.Cost Cost)> EnqueueConcurrentlyAsync(BackgroundJobClient client, BenchDatabase db, CostMeter meter)
    {
        await db.ResetAsync();
        await db.SettleAsync();
        var before = await meter.TakeAsync();
        var watch = Stopwatch.StartNew();
        await EnqueueFromConcurrentCallersAsync(client, JobCount);
        watch.Stop();
        var cost = CostMeter.PerJob(before, await meter.TakeAsync(), JobCount);
        await db.ExpectEnqueuedAsync(JobCount);
        var rate = JobCount / watch.Elapsed.TotalSeconds;
        Info($"enqueue one per call, {ConcurrentCallers} callers: {watch.Elapsed.TotalMilliseconds:0} ms, {rate:0}/s; {cost}");
        return (rate, cost);
    }

    private static Task EnqueueFromConcurrentCallersAsync(BackgroundJobClient client, int count)
    {
        var next = 0;
        return Task.WhenAll(Enumerable.Range(0, ConcurrentCallers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                await client.EnqueueAsync<BenchJobs>(j => j.Noop());
            }
        })));
    }

    private static async Task<double> EnqueueBulkAsync(BackgroundJobClient client, BenchDatabase db)
    {
        await db.ResetAsync();
        await db.SettleAsync();
        var watch = Stopwatch.StartNew();
        client.EnqueueMany(Enumerable.Range(0, JobCount).Select(_ => Noop()));
        watch.Stop();
        await db.ExpectEnqueuedAsync(JobCount);
        var rate = JobCount / watch.Elapsed.TotalSeconds;
        Info($"enqueue bulk: {watch.Elapsed.TotalMilliseconds:0} ms, {rate:0}/s");
        return rate;
    }

    /// <summary>
    /// Starts a server and waits until the counters say nothing is Enqueued or Processing and <paramref name="expected"/> more
    /// jobs Succeeded. The server has a storage of its own, disposed with it, as a server process has: its LISTEN connection
    /// is closed afterwards, so the enqueue benchmarks measure a client that does not also receive every notification.
    /// </summary>
    private static async Task<double> DrainAsync(string connection, string schema, ILoggerFactory loggerFactory, BenchDatabase db, int workers, int prefetch, int expected, bool measure)
    {
        await using var storage = new PostgreSqlJobStorage(connection, new PostgreSqlStorageOptions { SchemaName = schema }, loggerFactory: loggerFactory);
        var (_, _, succeededBefore) = await db.CountersAsync();
        await using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { WorkerCount = workers, PrefetchCount = prefetch, ServerName = $"bench-drain-{workers}" },
            storage);
        var watch = Stopwatch.StartNew();
        await server.StartAsync(CancellationToken.None);
        var deadline = TimeSpan.FromMinutes(5);
        while (true)
        {
            var (enqueued, processing, succeeded) = await db.CountersAsync();
            if (enqueued == 0 && processing == 0 && succeeded - succeededBefore >= expected)
            {
                break;
            }

            if (watch.Elapsed > deadline)
            {
                throw new TimeoutException($"Drain with {workers} workers: {enqueued} enqueued, {processing} processing, {succeeded - succeededBefore} succeeded after {deadline}.");
            }

            await Task.Delay(10);
        }

        watch.Stop();
        await server.StopAsync(CancellationToken.None);
        var rate = expected / watch.Elapsed.TotalSeconds;
        if (measure)
        {
            var counted = await db.ScalarAsync<long>($"SELECT count(*) FROM {db.Schema}.job WHERE state = 'Succeeded'");
            if (counted != expected)
            {
                throw new InvalidOperationException($"Drain with {workers} workers: {counted} jobs Succeeded, expected {expected}.");
            }

            Info($"drain, {workers} workers, {prefetch} ahead: {watch.Elapsed.TotalMilliseconds:0} ms, {rate:0}/s");
        }

        return rate;
    }

    private static async Task<(Percentiles Pickup, double IdleRssMb, double AfterRssMb)> PickupAsync(
        BenchOptions options, string schema, BackgroundJobClient client, BenchDatabase db)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(Harness).Assembly.Location);
        }

        foreach (var arg in new[] { "--pickup-server", "--connection", options.Connection, "--schema", schema, "--workers", "20" })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The pickup server did not start.");
        var lines = Channel.CreateUnbounded<string>();
        var pump = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Writer.TryWrite(line);
            }

            lines.Writer.TryComplete();
        });

        try
        {
            using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (!(await lines.Reader.ReadAsync(ready.Token)).StartsWith("READY", StringComparison.Ordinal))
                {
                }
            }

            // Idle: the child has started and announced itself; let it settle, then read its resident set.
            await db.WaitForServersAsync(1);
            await Task.Delay(IdleSettle);
            var idleRss = ReadRssMb(child.Id);
            Info($"idle server (20 workers) RSS: {idleRss:0.0} MB");

            var random = new Random(42);
            var samples = new List<double>(PickupSamples);
            for (var i = 0; i < PickupWarmup + PickupSamples; i++)
            {
                var enqueued = DateTime.UtcNow.Ticks;
                var sequence = i;
                client.Enqueue<BenchJobs>(j => j.Pickup(sequence, enqueued));
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (true)
                {
                    var line = await lines.Reader.ReadAsync(timeout.Token);
                    var parts = line.Split(' ');
                    if (parts.Length == 4 && parts[0] == "PICKUP" && int.Parse(parts[1], CultureInfo.InvariantCulture) == sequence)
                    {
                        var started = long.Parse(parts[3], CultureInfo.InvariantCulture);
                        if (i >= PickupWarmup)
                        {
                            samples.Add(TimeSpan.FromTicks(started - enqueued).TotalMilliseconds);
                        }

                        break;
                    }
                }

                await Task.Delay(random.Next(10, 41));
            }

            var afterRss = ReadRssMb(child.Id);
            var percentiles = Percentiles.Of(samples);
            Info($"pickup: p50 {percentiles.P50:0.00} ms, p95 {percentiles.P95:0.00} ms, p99 {percentiles.P99:0.00} ms, max {percentiles.Max:0.00} ms; RSS after {afterRss:0.0} MB");
            return (percentiles, idleRss, afterRss);
        }
        finally
        {
            try
            {
                await child.StandardInput.WriteLineAsync("STOP");
                await child.StandardInput.FlushAsync();
                child.StandardInput.Close();
            }
            catch (IOException)
            {
                // the child is gone already
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await child.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
            }

            await pump;
        }
    }

    private static double ReadRssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {pid}.");
    }
}

/// <summary>Percentiles by the nearest-rank method.</summary>
internal sealed record Percentiles(double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Percentiles(Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
