using Jobs.PostgreSql;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Health;

/// <summary><see cref="PostgreSqlJobStorage.GetSchemaStatusAsync"/> against real PostgreSQL.</summary>
public sealed class PostgreSqlSchemaStatusHealthTests
{
    private string _schema = null!;
    private PostgreSqlJobStorage _storage = null!;

    [SetUp]
    public void SetUp()
    {
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        _storage = new PostgreSqlJobStorage(TestDatabase.ConnectionString, new PostgreSqlStorageOptions { SchemaName = _schema });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _storage.DisposeAsync();
        await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
    }

    [Test]
    public async Task GetSchemaStatusAsync_ReportsEveryMigrationMissing_WhenTheSchemaDoesNotExist()
    {
        var status = await _storage.GetSchemaStatusAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Exists, Is.False);
            Assert.That(status.IsCurrent, Is.False);
            Assert.That(status.Missing, Is.EqualTo(PostgreSqlMigrator.LoadMigrations().Select(m => m.Name)));
            Assert.That(status.Description, Does.Contain("does not exist yet").And.Contain(_schema));
        });
    }

    [Test]
    public async Task GetSchemaStatusAsync_ReportsCurrent_AfterInitialize()
    {
        await _storage.InitializeAsync(CancellationToken.None);

        var status = await _storage.GetSchemaStatusAsync(CancellationToken.None);

        var embedded = PostgreSqlMigrator.LoadMigrations();
        Assert.Multiple(() =>
        {
            Assert.That(status.IsCurrent, Is.True);
            Assert.That(status.IsAhead, Is.False);
            Assert.That(status.AppliedVersions, Is.EqualTo(embedded.Select(m => m.Version)));
            Assert.That(status.Missing, Is.Empty);
            Assert.That(status.RequiredVersion, Is.EqualTo(embedded[^1].Version));
        });
    }

    [Test]
    public async Task GetSchemaStatusAsync_ReportsAheadButCurrent_WhenANewerServerMigratedTheSchema()
    {
        await _storage.InitializeAsync(CancellationToken.None);
        await using (var connection = await PostgreSqlTestDatabase.OpenConnectionAsync())
        await using (var command = new Npgsql.NpgsqlCommand($"INSERT INTO \"{_schema}\".schema_version (version, name) VALUES (999, '999_future')", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        var status = await _storage.GetSchemaStatusAsync(CancellationToken.None);

        Assert.That(status.IsCurrent, Is.True);
        Assert.That(status.IsAhead, Is.True);
        Assert.That(status.Description, Does.Contain("at migration 999, newer than this server's"));
    }
}
