using System.Diagnostics;
using System.Globalization;
using Jobs.Common;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Dashboard;

/// <summary>
/// Measures every page against PostgreSQL holding a million jobs (JOBS_DASHBOARD_SPEED_JOBS to change the count).
/// Explicit: seeding takes minutes; timings belong in the benchmarks, this only checks the ≤ 100 ms budget by hand.
/// </summary>
[TestFixture]
[Explicit("Seeds a million jobs; run by hand")]
[Category("PostgreSql")]
public sealed class DashboardSpeedMeasurement
{
    [Test]
    public async Task EveryPage_RendersWithinTheBudget_WhenPostgreSqlHoldsAMillionJobs()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("JOBS_DASHBOARD_SPEED_JOBS") ?? "1000000", CultureInfo.InvariantCulture);
        var schema = Environment.GetEnvironmentVariable("JOBS_DASHBOARD_SPEED_SCHEMA") ?? PostgreSqlTestDatabase.NewSchemaName();
        await using var host = await DashboardTestHost.StartAsync(postgreSqlSchema: schema);
        var stats = await host.Storage.Monitoring.GetStatisticsAsync(CancellationToken.None);
        if (stats.Succeeded + stats.Enqueued + stats.Failed < count / 2)
        {
            await SeedAsync(host.Storage, count);
        }

        await host.Recurring.AddOrUpdateAsync<DashboardSampleJob>("nightly", j => j.Run("nightly"), "0 3 * * *");
        var failed = (await host.Storage.Monitoring.GetJobsAsync("Failed", 0, 1, CancellationToken.None))[0].Id;
        string[] pages =
        [
            "/jobs/", "/jobs/enqueued", "/jobs/scheduled", "/jobs/awaiting", "/jobs/processing", "/jobs/succeeded", "/jobs/failed",
            "/jobs/deleted", "/jobs/retries", "/jobs/succeeded?page=500&size=20", "/jobs/job/" + failed, "/jobs/recurring",
            "/jobs/recurring/nightly", "/jobs/queues", "/jobs/servers", "/jobs/search?q=" + failed, "/jobs/search?q=customer-4242",
            "/jobs/search?q=DashboardSampleJob", "/jobs/api/stats", "/jobs/api/jobs?state=Failed",
        ];
        var slow = new List<string>();
        foreach (var page in pages)
        {
            await host.Client.GetAsync(page); // warm up
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await host.Client.GetAsync(page);
                await response.Content.ReadAsStringAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.That((int)response.StatusCode, Is.EqualTo(200), page);
            }

            times.Sort();
            TestContext.Out.WriteLine($"{page,-45} median {times[2],7:0.0} ms   max {times[^1],7:0.0} ms");
            if (times[2] > 100)
            {
                slow.Add(page);
            }
        }

        Assert.That(slow, Is.Empty, "Pages over 100 ms (median)");
    }

    private static async Task SeedAsync(IJobStorage storage, int count)
    {
        const int batch = 10_000;
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < count; start += batch)
        {
            var jobs = new List<NewJob>(batch);
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                var text = "customer-" + i.ToString(CultureInfo.InvariantCulture);
                var invocation = InvocationData.Serialize(JobExpression.Parse((System.Linq.Expressions.Expression<Action<DashboardSampleJob>>)(j => j.Run(text)), typeof(DashboardSampleJob)));
                IState state = (i % 20) switch
                {
                    < 12 => new SucceededState(null, TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(40)),
                    < 16 => new EnqueuedState(i % 40 < 20 ? "default" : "critical"),
                    < 18 => new FailedState(new InvalidOperationException("Boom " + i.ToString(CultureInfo.InvariantCulture))),
                    18 => new ScheduledState(now.AddMinutes(i % 1000)),
                    _ => new DeletedState("seed"),
                };
                jobs.Add(new NewJob(invocation, "default", state));
            }

            await storage.CreateJobsAsync(jobs, CancellationToken.None);
        }
    }
}
