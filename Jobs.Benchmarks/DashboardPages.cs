using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Jobs.Dashboard;
using Jobs.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Benchmarks;

/// <summary>
/// Every dashboard page over the read-side load: the dashboard runs in this process on Kestrel (127.0.0.1, a free
/// port, so requests are local and may see everything) with a storage of its own on the benchmark's schema. A
/// middleware at the front of the pipeline times each request on the server; each page is requested once as a
/// warm-up and then <see cref="Runs"/> times, and the median of the server-side times is reported.
/// </summary>
internal static class DashboardPages
{
    private const int Runs = 7;
    private const string RunHeader = "X-Bench-Run";

    /// <summary>Returns the slowest page's median in milliseconds.</summary>
    public static async Task<double> RunAsync(BenchDatabase db, ReadSideData data)
    {
        var timings = new ServerTimings();
        await using var app = Build(db, timings);
        await app.Services.GetRequiredService<Storage.IJobStorage>().InitializeAsync(CancellationToken.None);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            return await MeasureAsync(client, timings, Pages(data));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static WebApplication Build(BenchDatabase db, ServerTimings timings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddJobs(o => o.UsePostgreSqlStorage(db.ConnectionString, pg =>
        {
            pg.SchemaName = db.SchemaName;
            pg.PrepareSchemaIfNecessary = false;
        }));
        builder.Services.AddJobsDashboard();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            timings.Record(context.Request.Headers[RunHeader].ToString(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        app.MapJobsDashboard("/jobs");
        return app;
    }

    private static List<(string Name, string Path)> Pages(ReadSideData data)
    {
        var pages = new List<(string Name, string Path)> { ("overview", "/jobs/") };
        foreach (var list in new[] { "enqueued", "scheduled", "awaiting", "processing", "succeeded", "failed", "deleted", "retries" })
        {
            pages.Add((list, "/jobs/" + list));
            pages.Add(($"{list}, page 2", $"/jobs/{list}?page=2"));
        }

        // The deepest page the dashboard serves: it refuses to skip more than 100,000 rows.
        pages.Add(("succeeded, page 5,001 (skip 100,000)", "/jobs/succeeded?page=5001"));
        pages.Add(("failed, page 2,000 (skip 39,980)", "/jobs/failed?page=2000"));
        pages.Add(("failed, filtered by method", "/jobs/failed?method=BenchJobs.Work"));
        pages.Add(("failed, filtered by exception, page 2", "/jobs/failed?exception=InvalidOperation&page=2"));
        pages.Add(("failed, filter matching none", "/jobs/failed?method=NoSuchMethod"));
        pages.Add(("job detail (succeeded)", "/jobs/job/" + data.SucceededJobId));
        pages.Add(("job detail (failed)", "/jobs/job/" + data.FailedJobId));
        pages.Add(("recurring", "/jobs/recurring"));
        pages.Add(($"recurring/{data.RecurringJobId}", "/jobs/recurring/" + data.RecurringJobId));
        pages.Add(("queues", "/jobs/queues"));
        pages.Add(("servers", "/jobs/servers"));
        pages.Add(("search by id", "/jobs/search?q=" + data.FailedJobId));
        pages.Add(("search by type name", "/jobs/search?q=BenchJobs"));
        pages.Add(("search argument text (1 match)", "/jobs/search?q=" + data.SingleMatchArgument));
        pages.Add(("search argument text (many)", "/jobs/search?q=customer-05"));
        pages.Add(("search argument text (none)", "/jobs/search?q=no-such-customer"));
        pages.Add(("api/stats (the overview polls it)", "/jobs/api/stats"));
        return pages;
    }

    private static async Task<double> MeasureAsync(HttpClient client, ServerTimings timings, List<(string Name, string Path)> pages)
    {
        Console.WriteLine();
        Console.WriteLine($"dashboard pages, {pages.Count} addresses: server-side time, median of {Runs} requests after one warm-up");
        Console.WriteLine($"{"page",-40} {"median ms",10} {"min ms",8} {"max ms",8} {"kB",7}");
        Console.WriteLine(new string('-', 77));
        var worst = 0.0;
        var run = 0;
        foreach (var (name, path) in pages)
        {
            var times = new List<double>(Runs);
            var size = 0;
            for (var r = 0; r <= Runs; r++)
            {
                var id = (++run).ToString(CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add(RunHeader, id);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
                }

                var elapsed = await timings.TakeAsync(id);
                if (r > 0)
                {
                    times.Add(elapsed);
                    size = body.Length;
                }
            }

            var median = Percentiles.Median(times);
            worst = Math.Max(worst, median);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {median,10:0.00} {times.Min(),8:0.00} {times.Max(),8:0.00} {size / 1024.0,7:0.0}"));
        }

        return worst;
    }

    /// <summary>Server-side times by request; the middleware records after the response is written, which may be just after the client has read it.</summary>
    private sealed class ServerTimings
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<double>> _runs = new(StringComparer.Ordinal);

        public void Record(string id, double milliseconds) => Slot(id).TrySetResult(milliseconds);

        public async Task<double> TakeAsync(string id)
        {
            var elapsed = await Slot(id).Task.WaitAsync(TimeSpan.FromSeconds(30));
            _runs.TryRemove(id, out _);
            return elapsed;
        }

        private TaskCompletionSource<double> Slot(string id) =>
            _runs.GetOrAdd(id, _ => new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
