using Jobs.States;
using Jobs.Storage;
using Jobs.Tasks;

namespace Jobs.Tests.EndToEnd;

/// <summary>The product's host, <c>Jobs.Server</c>, as an operator runs it: from the task library to an executed job.</summary>
[TestFixture]
public sealed class JobsServerEndToEndTests : EndToEndTestBase
{
    private const string CleanupTaskId = "cleanup-expired-sessions";

    [Test]
    public async Task JobsServer_RegistersCleanupTaskAndDeletesExpiredSessions_WhenTaskIsTriggered()
    {
        await ExecuteAsync($"SET search_path TO \"{Schema}\";{Environment.NewLine}{AppSchema.Script}");
        await ExecuteAsync(
            $"""
            INSERT INTO "{Schema}".sessions (user_id, expires_at)
            SELECT g, now() - interval '1 hour' FROM generate_series(1, 25) g;
            INSERT INTO "{Schema}".sessions (user_id, expires_at)
            SELECT g, now() + interval '1 hour' FROM generate_series(101, 110) g;
            """);
        var server = StartJobsServer("jobs-server", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Jobs"] = ConnectionString,
            ["ConnectionStrings__App"] = ConnectionString,
            ["Jobs__PostgreSql__SchemaName"] = Schema,
            ["Jobs__Server__ServerName"] = "e2e-jobs-server",
            ["Jobs__Server__WorkerCount"] = "2",
            ["Jobs__Server__QueuePollInterval"] = "00:00:01",
            [$"Tasks__{CleanupTaskId}__TableName"] = $"{Schema}.sessions",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });

        RecurringJobRecord? record = null;
        await WaitUntilAsync(
            async () => (record = await Storage.GetRecurringJobAsync(CleanupTaskId, CancellationToken.None)) is not null
                        && await ServerIdOfAsync("e2e-jobs-server") is not null,
            () => $"Jobs.Server to register {CleanupTaskId} and announce itself");
        var jobId = await new RecurringJobManager(Storage).TriggerAsync(CleanupTaskId);
        Assert.That(jobId, Is.Not.Null, "the trigger created a run");
        await WaitForStateAsync(jobId!, SucceededState.StateName);

        var result = await ScalarAsync<string>($"SELECT state_data ->> 'Result' FROM \"{Schema}\".job WHERE id = @p0", long.Parse(jobId!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Multiple(async () =>
        {
            Assert.That(record!.Cron, Is.EqualTo("0 * * * *"), "the task's default schedule");
            Assert.That(record.Invocation.Type, Does.Contain(nameof(CleanupExpiredSessionsTask)));
            Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".sessions WHERE expires_at < now()"), Is.Zero, "expired sessions left");
            Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".sessions"), Is.EqualTo(10), "live sessions kept");
            Assert.That(result, Does.Contain("25"), "the run's result reports the deleted rows");
            Assert.That(server.Output, Does.Contain($"Using PostgreSQL storage (schema {Schema})"));
        });
    }

    [Test]
    public async Task JobsServer_StartsOnInMemoryStorageAndSaysSo_WhenNoConnectionStringIsConfigured()
    {
        var server = StartJobsServer("jobs-server-in-memory", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Jobs"] = "",
            ["ConnectionStrings__App"] = "",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });

        await WaitUntilAsync(
            () => Task.FromResult(server.Output.Contains("using the embedded in-memory storage", StringComparison.Ordinal) || server.HasExited),
            () => "Jobs.Server to log that it uses the in-memory storage");
        await WaitUntilAsync(
            () => Task.FromResult(server.Output.Contains("Application started", StringComparison.Ordinal) || server.HasExited),
            () => "Jobs.Server to finish starting");
        Assert.That(server.HasExited, Is.False, $"Jobs.Server keeps running{Environment.NewLine}{server.Describe()}");

        server.Terminate();
        Assert.That(await server.WaitForExitAsync(Patience), Is.True, "Jobs.Server stops on SIGTERM");
        Assert.Multiple(() =>
        {
            Assert.That(server.ExitCode, Is.Zero, server.Describe());
            Assert.That(server.Output, Does.Contain("in-memory storage"));
            Assert.That(server.Output, Does.Contain(CleanupTaskId), "says the task is switched off without a database");
        });
    }
}
