using Jobs.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tests.Tasks;

public sealed class DatabaseMaintenanceTaskTests : AppDatabaseTestBase
{
    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new DatabaseMaintenanceOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Tables, Is.EqualTo(new[]
            {
                "sessions", "users", "audit_logs", "audit_logs_archive", "error_logs", "credentials", "queue_items", "daily_stats",
            }));
            Assert.That(DatabaseMaintenanceOptions.SectionName, Is.EqualTo("Tasks:database-maintenance"));
        });
    }

    [Test]
    public void FromConfiguration_ReplacesDefaultTables_WhenTablesAreConfigured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:App"] = "Host=app",
            ["Tasks:database-maintenance:Tables:0"] = "orders",
            ["Tasks:database-maintenance:Tables:1"] = "billing.invoices",
        }).Build();

        var options = DatabaseMaintenanceOptions.FromConfiguration(configuration);

        Assert.That(options.Tables, Is.EqualTo(new[] { "orders", "billing.invoices" }));
    }

    [Test]
    public async Task RunAsync_VacuumsAndAnalyzesEachTable_WhenAllExist()
    {
        await ExecuteAsync($"INSERT INTO {Schema}.users (email) SELECT 'u' || g FROM generate_series(1, 500) g");
        await ExecuteAsync($"INSERT INTO {Schema}.error_logs (source, message) SELECT 'api', 'boom' FROM generate_series(1, 300)");

        var result = await CreateSut(Table("users"), Table("error_logs")).RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.TablesVacuumed, Is.EqualTo(new[] { Table("users"), Table("error_logs") }));
            Assert.That(await EstimatedRowsAsync("users"), Is.EqualTo(500), "ANALYZE updated the planner's row estimate");
            Assert.That(await EstimatedRowsAsync("error_logs"), Is.EqualTo(300));
        });
    }

    [Test]
    public async Task RunAsync_DoesEveryTableOfTheAppSchema_WhenTablesAreTheDefaults()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = Schema }.ConnectionString;
        var sut = new DatabaseMaintenanceTask(
            Options.Create(new DatabaseMaintenanceOptions { ConnectionString = connectionString }), NullLogger<DatabaseMaintenanceTask>.Instance);

        var result = await sut.RunAsync(CancellationToken.None);

        Assert.That(result.TablesVacuumed, Is.EqualTo(new DatabaseMaintenanceOptions().Tables));
    }

    [Test]
    public async Task RunAsync_GivesTheSameResult_WhenRunTwice()
    {
        var sut = CreateSut(Table("sessions"), Table("queue_items"));

        var first = await sut.RunAsync(CancellationToken.None);
        var second = await sut.RunAsync(CancellationToken.None);

        Assert.That(second.TablesVacuumed, Is.EqualTo(first.TablesVacuumed));
    }

    [Test]
    public async Task RunAsync_DoesEveryTableInBothRuns_WhenTwoRunsOverlap()
    {
        string[] tables = [Table("sessions"), Table("audit_logs"), Table("credentials")];

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut(tables).RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut(tables).RunAsync(CancellationToken.None)));

        Assert.Multiple(() =>
        {
            Assert.That(results[0].TablesVacuumed, Is.EqualTo(tables));
            Assert.That(results[1].TablesVacuumed, Is.EqualTo(tables));
        });
    }

    [Test]
    public async Task RunAsync_DoesTheOthersThenFailsNamingTheTable_WhenATableIsMissing()
    {
        await ExecuteAsync($"INSERT INTO {Schema}.users (email) SELECT 'u' || g FROM generate_series(1, 200) g");
        var sut = CreateSut(Table("sessions"), Table("no_such_table"), Table("users"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"table '{Table("no_such_table")}' does not exist")
            .And.Contains("failed for 1 of 3 table(s)")
            .And.Contains($"Done: {Table("sessions")}, {Table("users")}."));
        Assert.That(await EstimatedRowsAsync("users"), Is.EqualTo(200), "the table after the missing one was still done");
    }

    [Test]
    public async Task RunAsync_FailsNamingTheTable_WhenPostgreSqlSkipsItWithAWarning()
    {
        await ExecuteAsync($"CREATE VIEW {Schema}.active_users AS SELECT * FROM {Schema}.users");
        var sut = CreateSut(Table("active_users"), Table("users"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"table '{Table("active_users")}' was skipped").And.Contains($"Done: {Table("users")}."));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenNoTableIsConfigured()
    {
        var sut = CreateSut();

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:database-maintenance:Tables' must list at least one table"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenATableNameIsEmpty()
    {
        var sut = CreateSut(Table("users"), "");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:database-maintenance:Tables:1' must be a table name"));
    }

    [Test]
    public void RunAsync_ThrowsBeforeConnecting_WhenATableNameIsNotAnIdentifier()
    {
        var sut = CreateSut("users; DROP TABLE users");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:database-maintenance:Tables:0'"));
    }

    private DatabaseMaintenanceTask CreateSut(params string[] tables) =>
        new(
            Options.Create(new DatabaseMaintenanceOptions { ConnectionString = ConnectionString, Tables = tables }),
            NullLogger<DatabaseMaintenanceTask>.Instance);

    private Task<float> EstimatedRowsAsync(string table) =>
        ScalarAsync<float>($"SELECT reltuples FROM pg_class WHERE oid = '{Schema}.{table}'::regclass");
}
