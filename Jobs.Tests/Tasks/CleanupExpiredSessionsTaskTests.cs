using Jobs.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tests.Tasks;

/// <summary>Runs the task against real PostgreSQL; each test works in a schema of its own, dropped afterwards.</summary>
public sealed class CleanupExpiredSessionsTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private string _connectionString = "";
    private string _schema = "";

    [SetUp]
    public async Task SetUp()
    {
        _connectionString = TestDatabase.ConnectionString;
        _schema = "tasks_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE SCHEMA {_schema}; SET search_path TO {_schema}; {AppSchema.Script}");
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_schema.Length > 0 && _connectionString.Length > 0)
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        }
    }

    [Test]
    public async Task RunAsync_DeletesExpiredRows_WhenSomeHaveExpired()
    {
        await InsertSessionsAsync(count: 7, expiresAt: Now.AddMinutes(-5));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.RowsDeleted, Is.EqualTo(7));
            Assert.That(result.Batches, Is.EqualTo(1));
            Assert.That(result.ExpiredBefore, Is.EqualTo(Now));
            Assert.That(await CountAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_KeepsUnexpiredRows_WhenTheyExpireNowOrLater()
    {
        await InsertSessionsAsync(count: 3, expiresAt: Now.AddTicks(-10));
        await InsertSessionsAsync(count: 2, expiresAt: Now);
        await InsertSessionsAsync(count: 4, expiresAt: Now.AddDays(1));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.RowsDeleted, Is.EqualTo(3));
            Assert.That(await CountAsync(), Is.EqualTo(6));
            Assert.That(await CountAsync("expires_at < @now"), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_DeletesInBatches_WhenMoreRowsThanBatchSizeHaveExpired()
    {
        await InsertSessionsAsync(count: 25, expiresAt: Now.AddHours(-1));

        var result = await CreateSut(o => o.BatchSize = 10).RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.RowsDeleted, Is.EqualTo(25));
            Assert.That(result.Batches, Is.EqualTo(3));
            Assert.That(await CountAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_DeletesNothingMore_WhenRunTwice()
    {
        await InsertSessionsAsync(count: 5, expiresAt: Now.AddMinutes(-1));
        await InsertSessionsAsync(count: 5, expiresAt: Now.AddMinutes(1));
        var sut = CreateSut();

        var first = await sut.RunAsync(CancellationToken.None);
        var second = await sut.RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.RowsDeleted, Is.EqualTo(5));
            Assert.That(second.RowsDeleted, Is.Zero);
            Assert.That(second.Batches, Is.Zero);
            Assert.That(await CountAsync(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task RunAsync_DeletesEachRowOnce_WhenTwoRunsOverlap()
    {
        await InsertSessionsAsync(count: 3000, expiresAt: Now.AddMinutes(-1));
        await InsertSessionsAsync(count: 100, expiresAt: Now.AddMinutes(1));

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results.Sum(r => r.RowsDeleted), Is.EqualTo(3000));
            Assert.That(await CountAsync(), Is.EqualTo(100));
        });
    }

    [Test]
    public async Task RunAsync_SkipsRowsHeldByAnotherRun_WhenTheyAreLocked()
    {
        await InsertSessionsAsync(count: 10, expiresAt: Now.AddMinutes(-1));

        // Another run's batch in flight: it holds four expired rows.
        await using (var other = await OpenAsync())
        await using (var transaction = await other.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand(
                $"SELECT id FROM {_schema}.sessions ORDER BY id LIMIT 4 FOR UPDATE", other, transaction))
            {
                await hold.ExecuteNonQueryAsync();
            }

            var whileHeld = await CreateSut().RunAsync(CancellationToken.None);

            Assert.That(whileHeld.RowsDeleted, Is.EqualTo(6), "rows held by another transaction are skipped, not waited for");
            await transaction.RollbackAsync();
        }

        var afterwards = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(afterwards.RowsDeleted, Is.EqualTo(4));
            Assert.That(await CountAsync(), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_UsesConfiguredNames_WhenTableAndColumnAreNotTheDefaults()
    {
        await ExecuteAsync($"""CREATE TABLE {_schema}."UserSessions" (id serial PRIMARY KEY, "validUntil" timestamptz NOT NULL)""");
        await ExecuteAsync(
            $"""INSERT INTO {_schema}."UserSessions" ("validUntil") VALUES (@past), (@past), (@future)""",
            ("past", Now.AddHours(-2)),
            ("future", Now.AddHours(2)));

        var result = await CreateSut(o =>
        {
            o.TableName = _schema + ".UserSessions";
            o.ExpiresAtColumn = "validUntil";
        }).RunAsync(CancellationToken.None);

        Assert.That(result.RowsDeleted, Is.EqualTo(2));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableDoesNotExist()
    {
        var sut = CreateSut(o => o.TableName = _schema + ".missing_sessions");

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("missing_sessions").And.Contains("app-schema.sql"));
    }

    [Test]
    public void RunAsync_ThrowsBeforeConnecting_WhenTableNameIsNotAnIdentifier()
    {
        var sut = CreateSut(o => o.TableName = "sessions; DROP TABLE users");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("TableName"));
    }

    [Test]
    public async Task RunAsync_StopsWithCancellation_WhenTokenIsCanceled()
    {
        await InsertSessionsAsync(count: 3, expiresAt: Now.AddMinutes(-1));
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => CreateSut().RunAsync(canceled.Token));
        Assert.That(await CountAsync(), Is.EqualTo(3));
    }

    private CleanupExpiredSessionsTask CreateSut(Action<CleanupExpiredSessionsOptions>? configure = null)
    {
        var options = new CleanupExpiredSessionsOptions
        {
            ConnectionString = _connectionString,
            TableName = _schema + ".sessions",
        };
        configure?.Invoke(options);
        return new CleanupExpiredSessionsTask(
            Options.Create(options), new FixedTimeProvider(Now), NullLogger<CleanupExpiredSessionsTask>.Instance);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private Task InsertSessionsAsync(int count, DateTimeOffset expiresAt) =>
        ExecuteAsync(
            $"INSERT INTO {_schema}.sessions (user_id, created_at, expires_at) SELECT g, @created, @expires FROM generate_series(1, @count) AS g",
            ("created", expiresAt.AddDays(-1)),
            ("expires", expiresAt),
            ("count", count));

    private async Task<long> CountAsync(string where = "true")
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema}.sessions WHERE {where}", connection);
        command.Parameters.AddWithValue("now", Now);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
