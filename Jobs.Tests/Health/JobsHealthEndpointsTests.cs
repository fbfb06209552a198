using System.Net;
using System.Text.Json;
using Jobs.PostgreSql;
using Jobs.Tests.Infrastructure;
using Npgsql;

namespace Jobs.Tests.Health;

/// <summary>/health and /health/ready of Jobs.Server, on in-memory storage and on real PostgreSQL.</summary>
public sealed class JobsHealthEndpointsTests
{
    private string? _schema;

    [TearDown]
    public async Task DropSchema()
    {
        if (_schema is not null)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
            _schema = null;
        }
    }

    [Test]
    public async Task Health_Returns200NamingTheProcessCheck_WhenTheProcessAnswers()
    {
        await using var factory = JobsServerHost.Create(new Dictionary<string, string?> { ["ConnectionStrings:Jobs"] = string.Empty });
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");
        using var body = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(Check(body, "process").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(body.RootElement.GetProperty("checks").GetArrayLength(), Is.EqualTo(1), "liveness does not touch the storage");
    }

    [Test]
    public async Task HealthReady_Returns200_WhenTheStorageIsInMemory()
    {
        await using var factory = JobsServerHost.Create(new Dictionary<string, string?> { ["ConnectionStrings:Jobs"] = string.Empty });
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");
        using var body = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var storage = Check(body, "storage");
        Assert.That(storage.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(storage.GetProperty("description").GetString(), Does.Contain("InMemoryJobStorage"));
    }

    [Test]
    public async Task HealthReady_Returns200WithTheSchemaVersion_WhenPostgreSqlIsReachableAndMigrated()
    {
        var connectionString = TestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        await using var factory = JobsServerHost.Create(JobsServerHost.PostgreSqlSettings(connectionString, _schema));
        using var client = factory.CreateClient();
        var required = PostgreSqlMigrator.LoadMigrations()[^1].Version;

        // The server migrates the schema in the background as it starts.
        var response = await Metrics.MetricsPoll.UntilAsync(
            () => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "the storage to be ready");
        using var body = await ReadJsonAsync(response);

        var storage = Check(body, "storage");
        Assert.That(storage.GetProperty("description").GetString(), Is.EqualTo($"Schema \"{_schema}\" is at migration {required}, as this server needs."));
        Assert.That(storage.GetProperty("data").GetProperty("requiredVersion").GetInt32(), Is.EqualTo(required));
    }

    [Test]
    public async Task HealthReady_Returns503NamingTheDatabase_WhenPostgreSqlIsUnreachable()
    {
        var settings = JobsServerHost.PostgreSqlSettings("Host=127.0.0.1;Port=1;Username=jobs;Password=secret;Database=jobs;Timeout=3", "jobs");
        await using var factory = JobsServerHost.Create(settings, withoutTaskRegistrar: true);
        using var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health");
        using var body = await ReadJsonAsync(ready);
        await TestContext.Out.WriteLineAsync(body.RootElement.ToString());

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process itself is alive");
        Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
        var storage = Check(body, "storage");
        Assert.That(storage.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
        Assert.That(storage.GetProperty("description").GetString(), Does.StartWith("PostgreSQL is unreachable: ").And.Contain("127.0.0.1:1"));
    }

    [Test]
    public async Task HealthReady_Returns503NamingTheMissingMigration_WhenTheSchemaIsBehind()
    {
        var connectionString = TestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        var newest = PostgreSqlMigrator.LoadMigrations()[^1];
        await MigrateWithoutNewestAsync(connectionString, _schema, newest.Version);
        var settings = JobsServerHost.PostgreSqlSettings(connectionString, _schema);
        settings["Jobs:PostgreSql:PrepareSchemaIfNecessary"] = "false";
        await using var factory = JobsServerHost.Create(settings);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");
        using var body = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var storage = Check(body, "storage");
        Assert.That(storage.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
        Assert.That(storage.GetProperty("description").GetString(), Does.Contain($"missing {newest.Name}").And.Contain("PrepareSchemaIfNecessary"));
    }

    /// <summary>A schema migrated by an older server: every migration but the newest.</summary>
    private static async Task MigrateWithoutNewestAsync(string connectionString, string schema, int newest)
    {
        await using (var storage = new PostgreSqlJobStorage(connectionString, new PostgreSqlStorageOptions { SchemaName = schema }))
        {
            await storage.InitializeAsync(CancellationToken.None);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DELETE FROM \"{schema}\".schema_version WHERE version = @version", connection);
        command.Parameters.AddWithValue("version", newest);
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    private static JsonElement Check(JsonDocument body, string name) =>
        body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
