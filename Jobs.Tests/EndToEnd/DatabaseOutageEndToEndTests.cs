using System.Net;
using System.Text.RegularExpressions;
using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tasks;
using Npgsql;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// A database that is not there when <c>Jobs.Server run</c> starts (compose starting both at once): the server comes up
/// anyway, says what is wrong on its readiness probe and dashboard, and when the database appears it migrates the schema,
/// registers the recurring tasks and runs jobs, without a restart. The database is a throwaway cluster of this test,
/// started only after the server.
/// </summary>
[TestFixture]
public sealed partial class DatabaseOutageEndToEndTests : EndToEndTestBase
{
    private const string ServerName = "e2e-outage";

    [Test]
    public async Task JobsServer_StartsWithoutDatabase_AndRunsJobsOnceTheDatabaseComesUp()
    {
        await using var cluster = await ThrowawayPostgreSqlCluster.CreateAsync();
        var server = StartJobsServer(ServerName, new Dictionary<string, string?>
        {
            ["ConnectionStrings__Jobs"] = cluster.ConnectionString,
            ["ConnectionStrings__App"] = cluster.ConnectionString,
            ["Jobs__Server__ServerName"] = ServerName,
            ["Jobs__Server__WorkerCount"] = "2",
            ["Jobs__Server__QueuePollInterval"] = "00:00:01",
            ["Jobs__Server__HeartbeatInterval"] = "00:00:01",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });
        string? url = null;
        await WaitUntilAsync(
            () => Task.FromResult((url = ListeningUrl(server.Output)) is not null || server.HasExited),
            () => "Jobs.Server to listen although its database is down");
        Assert.That(url, Is.Not.Null, $"Jobs.Server did not start without its database{Environment.NewLine}{server.Describe()}");
        using var http = new HttpClient { BaseAddress = new Uri(url!), Timeout = TimeSpan.FromSeconds(30) };

        using (var live = await http.GetAsync("/health"))
        using (var ready = await http.GetAsync("/health/ready"))
        using (var dashboard = await http.GetAsync("/jobs"))
        using (var api = await http.GetAsync("/jobs/api/stats"))
        {
            var readyBody = await ready.Content.ReadAsStringAsync();
            var dashboardBody = await dashboard.Content.ReadAsStringAsync();
            Assert.Multiple(async () =>
            {
                Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "/health: the process is alive");
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "/health/ready: not ready without a database");
                Assert.That(readyBody, Does.Contain("PostgreSQL is unreachable").And.Contain($"127.0.0.1:{cluster.Port}"));
                Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the dashboard answers 503");
                Assert.That(dashboard.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
                Assert.That(WebUtility.HtmlDecode(dashboardBody), Does.Contain("The job storage is unreachable: Failed to connect to 127.0.0.1:" + cluster.Port));
                Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the dashboard's API answers 503");
                Assert.That(await api.Content.ReadAsStringAsync(), Does.Contain("The job storage is unreachable"));
                Assert.That(server.HasExited, Is.False, "Jobs.Server keeps running");
            });
        }

        // An application enqueuing meanwhile learns that its job was not stored, once the storage's retries are spent.
        await using (var shortWindow = new PostgreSqlJobStorage(
            cluster.ConnectionString,
            new PostgreSqlStorageOptions { TransientRetryAttempts = 2, TransientRetryBaseDelay = TimeSpan.FromMilliseconds(100) }))
        {
            var client = new BackgroundJobClient(shortWindow);
            var failure = Assert.ThrowsAsync<NpgsqlException>(() => client.EnqueueAsync(() => Console.WriteLine("lost?")));
            Assert.That(failure!.Message, Does.Contain($"Failed to connect to 127.0.0.1:{cluster.Port}"), "the exception names the database it could not reach");
        }

        await cluster.StartAsync();

        await WaitUntilAsync(
            async () =>
            {
                using var ready = await http.GetAsync("/health/ready");
                return ready.StatusCode == HttpStatusCode.OK;
            },
            () => "/health/ready to answer 200 once the database is up (schema migrated)");
        await using var storage = new PostgreSqlJobStorage(cluster.ConnectionString, new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false });
        RecurringJobRecord? task = null;
        await WaitUntilAsync(
            async () => (task = await storage.GetRecurringJobAsync(CleanupExpiredSessionsTask.Id, CancellationToken.None)) is not null,
            () => $"Jobs.Server to register the recurring task {CleanupExpiredSessionsTask.Id}");
        await WaitUntilAsync(
            async () => (await storage.Monitoring.GetServersAsync(CancellationToken.None)).Any(s => s.Id.StartsWith(ServerName + ":", StringComparison.Ordinal)),
            () => "Jobs.Server to announce itself");

        var jobId = await new BackgroundJobClient(storage).EnqueueAsync(() => Console.WriteLine("the database is back"));
        string? state = null;
        await WaitUntilAsync(
            async () => (state = (await storage.GetJobAsync(jobId, CancellationToken.None))?.StateName) == SucceededState.StateName,
            () => $"job {jobId} to succeed (it is {state ?? "missing"})");
        using var dashboardBack = await http.GetAsync("/jobs");

        Assert.Multiple(() =>
        {
            Assert.That(task!.Cron, Is.EqualTo("0 * * * *"), "the task's default schedule");
            Assert.That(dashboardBack.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the dashboard works again");
            Assert.That(server.HasExited, Is.False, "Jobs.Server was never restarted");
            Assert.That(server.Output, Does.Contain("Recurring tasks could not be registered yet").Or.Contain("The job storage is unreachable"), "the outage was logged");
            Assert.That(server.Output, Does.Contain("The job storage is reachable again"), "the recovery was logged");
        });
    }

    private static string? ListeningUrl(string output)
    {
        var match = ListeningPattern().Match(output);
        return match.Success ? match.Groups[1].Value.TrimEnd('/') : null;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningPattern();
}
