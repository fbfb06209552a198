using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Jobs.Tasks;
using Jobs.Tests.EndToEnd;
using Npgsql;

namespace Jobs.Tests.Cli;

/// <summary>
/// The commands that work on the database, each run as the real Jobs.Server process against the test PostgreSQL, in
/// this fixture's schema (already migrated by the base class) unless a test says otherwise.
/// </summary>
[TestFixture]
public sealed class CliDatabaseCommandsTests : EndToEndTestBase
{
    private const string TaskId = CleanupExpiredSessionsTask.Id;

    [Test]
    public async Task Migrate_CreatesTheJobsSchema_AndListThenShowsTheTasks()
    {
        var schema = NewSchemaName("cli_migrate");
        try
        {
            var environment = DatabaseEnvironment(schema);

            var migrate = await CliProcess.RunAsync(["migrate"], environment);
            var again = await CliProcess.RunAsync(["migrate"], environment);
            var list = await CliProcess.RunAsync(["list"], environment);

            Assert.That(migrate.ExitCode, Is.Zero, migrate.ToString());
            Assert.That(migrate.Output, Does.Contain($"\"{schema}\"").And.Contain("up to date"), migrate.ToString());
            Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".schema_version"), Is.GreaterThanOrEqualTo(2));
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
            Assert.That(list.ExitCode, Is.Zero, list.ToString());
            Assert.That(list.Output, Does.Contain(TaskId).And.Contain("0 * * * *").And.Contain("UTC"), list.ToString());
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }

    [Test]
    public async Task List_FailsAndCreatesNothing_WhenTheSchemaWasNotMigrated()
    {
        var schema = NewSchemaName("cli_nomigrate");

        var list = await CliProcess.RunAsync(["list"], DatabaseEnvironment(schema));

        Assert.That(list.ExitCode, Is.EqualTo(1), list.ToString());
        Assert.That(list.Error, Does.Contain("run the 'migrate' command first"), list.ToString());
        Assert.That(list.Error, Does.Not.Contain("   at "), "no stack trace for an expected error");
        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = @p0", schema), Is.Zero, "list must not create the schema");
    }

    [Test]
    public async Task ListJson_DescribesEachRecurringJob_ForScripts()
    {
        var trigger = await CliProcess.RunAsync(["trigger", TaskId], DatabaseEnvironment());
        Assert.That(trigger.ExitCode, Is.Zero, trigger.ToString());

        var list = await CliProcess.RunAsync(["list", "--json"], DatabaseEnvironment());

        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        using var json = JsonDocument.Parse(list.Output);
        var task = json.RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == TaskId);
        Assert.Multiple(() =>
        {
            Assert.That(task.GetProperty("cron").GetString(), Is.EqualTo("0 * * * *"));
            Assert.That(task.GetProperty("timeZone").GetString(), Is.EqualTo("UTC"));
            Assert.That(task.GetProperty("registered").GetBoolean(), Is.True);
            Assert.That(task.GetProperty("paused").GetBoolean(), Is.False);
            Assert.That(task.GetProperty("nextRun").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1)));
            Assert.That(task.GetProperty("lastJobId").GetString(), Is.Not.Null);
            Assert.That(task.GetProperty("lastJobState").GetString(), Is.EqualTo("Enqueued"));
        });
    }

    [Test]
    public async Task Trigger_PrintsTheIdOfANewJobOfTheRecurringJob_ThatExistsInTheDatabase()
    {
        var first = await CliProcess.RunAsync(["trigger", TaskId], DatabaseEnvironment());
        var second = await CliProcess.RunAsync(["trigger", TaskId], DatabaseEnvironment());

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        var ids = new[] { first.Output.Trim(), second.Output.Trim() };
        Assert.That(ids, Is.Unique);
        foreach (var id in ids)
        {
            Assert.That(long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId), Is.True, $"a bare job id on stdout, was '{id}'");
            var rows = await QueryAsync($"SELECT state, recurring_job_id, queue FROM \"{Schema}\".job WHERE id = @p0", jobId);
            Assert.That(rows, Has.Count.EqualTo(1), $"job {id} exists");
            Assert.That(rows[0], Is.EqualTo(new object?[] { "Enqueued", TaskId, "default" }));
        }

        var list = await CliProcess.RunAsync(["list"], DatabaseEnvironment());
        Assert.That(list.Output, Does.Contain($"{ids[1]} Enqueued"), list.ToString());
    }

    [Test]
    public async Task Trigger_ExitsWith1AndNamesTheId_WhenThereIsNoSuchRecurringJob()
    {
        var result = await CliProcess.RunAsync(["trigger", "no-such-job"], DatabaseEnvironment());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("no recurring job 'no-such-job'").And.Contain(TaskId), result.ToString());
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [TestCase(TaskId)]
    [TestCase(nameof(CleanupExpiredSessionsTask))]
    public async Task Enqueue_PrintsTheIdOfAnEnqueuedJobOfTheTask_ByIdOrClassName(string task)
    {
        var result = await CliProcess.RunAsync(["enqueue", task], DatabaseEnvironment());

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var jobId = long.Parse(result.Output.Trim(), CultureInfo.InvariantCulture);
        var rows = await QueryAsync($"SELECT state, type, method, queue FROM \"{Schema}\".job WHERE id = @p0", jobId);
        Assert.That(rows, Has.Count.EqualTo(1), $"job {jobId} exists");
        Assert.That(rows[0][0], Is.EqualTo("Enqueued"));
        Assert.That((string)rows[0][1]!, Does.Contain(nameof(CleanupExpiredSessionsTask)));
        Assert.That(rows[0][2], Is.EqualTo("RunAsync"));
        Assert.That(rows[0][3], Is.EqualTo("default"));
    }

    [TestCase("no-such-task", "", "no task 'no-such-task'")]
    [TestCase(TaskId, "[42]", "takes no arguments")]
    [TestCase(TaskId, "{\"count\": 1}", "has no parameter 'count'")]
    [TestCase(TaskId, "[1,", "not valid JSON")]
    public async Task Enqueue_ExitsWith1AndNamesTheProblem_WhenTheTaskOrItsArgumentsAreWrong(string task, string arguments, string problem)
    {
        var before = await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job");
        string[] args = arguments.Length == 0 ? ["enqueue", task] : ["enqueue", task, arguments];

        var result = await CliProcess.RunAsync(args, DatabaseEnvironment());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain(problem), result.ToString());
        Assert.That(result.Error, Does.Not.Contain("   at "));
        Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job"), Is.EqualTo(before), "no job was created");
    }

    [Test]
    public async Task Run_TakesAspNetCoreArgumentsAsTheHostsConfiguration_AndServersListsIt()
    {
        var port = FreePort();
        var name = "cli-run-" + Guid.NewGuid().ToString("N")[..6];
        var server = Track(CliProcess.Start(name, [
            "run",
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:Jobs={ConnectionString}",
            $"--Jobs:PostgreSql:SchemaName={Schema}",
            $"--Jobs:Server:ServerName={name}",
        ], CliProcess.Environment()));

        var status = await WaitForStatusAsync(port);
        await WaitUntilAsync(async () => await ServerIdOfAsync(name) is not null, () => $"server {name} in {Schema}.server");
        var servers = await CliProcess.RunAsync(["servers"], DatabaseEnvironment());
        var json = await CliProcess.RunAsync(["servers", "--json"], DatabaseEnvironment());

        Assert.That(status, Does.Contain("PostgreSqlJobStorage"), "the connection string of the command line reached the host");
        Assert.That(servers.ExitCode, Is.Zero, servers.ToString());
        Assert.That(servers.Output, Does.Contain("NAME").And.Contain("LAST HEARTBEAT"), servers.ToString());
        var line = servers.Output.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal));
        Assert.That(line, Does.Contain("default"));
        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        var entry = document.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString()!.StartsWith(name, StringComparison.Ordinal));
        Assert.That(entry.GetProperty("workers").GetInt32(), Is.Positive);
        Assert.That(entry.GetProperty("queues").EnumerateArray().Select(q => q.GetString()), Does.Contain("default"));

        server.Terminate();
        Assert.That(await server.WaitForExitAsync(Patience), Is.True, "run stops on SIGTERM");
        Assert.That(server.ExitCode, Is.Zero, server.Describe());
    }

    [Test]
    public async Task NoCommand_RunsTheServer_WithArgumentsInTheTwoTokenForm()
    {
        var port = FreePort();
        var name = "cli-default-" + Guid.NewGuid().ToString("N")[..6];
        Track(CliProcess.Start(name, [
            "--urls", $"http://127.0.0.1:{port}",
            "--ConnectionStrings:Jobs", ConnectionString,
            "--Jobs:PostgreSql:SchemaName", Schema,
            "--Jobs:Server:ServerName", name,
        ], CliProcess.Environment()));

        await WaitUntilAsync(async () => await ServerIdOfAsync(name) is not null, () => $"server {name} in {Schema}.server");
        var status = await WaitForStatusAsync(port);

        Assert.That(status, Does.Contain("PostgreSqlJobStorage").And.Contain(name));
    }

    [Test]
    public async Task MigrateApp_CreatesTheSessionsTable_InTheApplicationDatabase()
    {
        var appSchema = NewSchemaName("cli_app");
        await ExecuteAsync($"CREATE SCHEMA \"{appSchema}\"");
        try
        {
            var app = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = appSchema }.ConnectionString;
            var environment = DatabaseEnvironment();
            environment["ConnectionStrings__App"] = app;

            var result = await CliProcess.RunAsync(["migrate-app"], environment);
            var again = await CliProcess.RunAsync(["migrate-app"], environment);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(again.ExitCode, Is.Zero, "the script is idempotent: " + again);
            Assert.That(await TableExistsAsync(appSchema, "sessions"), Is.True);
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{appSchema}\" CASCADE");
        }
    }

    [Test]
    public async Task MigrateApp_UsesTheJobsDatabase_WhenNoApplicationDatabaseIsConfigured()
    {
        var appSchema = NewSchemaName("cli_appjobs");
        await ExecuteAsync($"CREATE SCHEMA \"{appSchema}\"");
        try
        {
            var environment = DatabaseEnvironment();
            environment["ConnectionStrings__Jobs"] = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = appSchema }.ConnectionString;

            var result = await CliProcess.RunAsync(["migrate-app"], environment);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(await TableExistsAsync(appSchema, "sessions"), Is.True);
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{appSchema}\" CASCADE");
        }
    }

    private Dictionary<string, string?> DatabaseEnvironment(string? schema = null) => CliProcess.Environment(
        ("ConnectionStrings__Jobs", ConnectionString),
        ("Jobs__PostgreSql__SchemaName", schema ?? Schema));

    private async Task<string> WaitForStatusAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? status = null;
        await WaitUntilAsync(
            async () =>
            {
                try
                {
                    status = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/status"));
                    return true;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            () => $"/status on port {port}");
        return status!;
    }

    private async Task<bool> TableExistsAsync(string schema, string table) =>
        await ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = @p0 AND tablename = @p1", schema, table) == 1;

    private static string NewSchemaName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
