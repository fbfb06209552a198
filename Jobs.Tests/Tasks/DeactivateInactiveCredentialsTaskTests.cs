using Jobs.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Tasks;

public sealed class DeactivateInactiveCredentialsTaskTests : AppDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = new(2025, 9, 1, 5, 0, 0, TimeSpan.Zero);

    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new DeactivateInactiveCredentialsOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.TableName, Is.EqualTo("credentials"));
            Assert.That(options.ActiveColumn, Is.EqualTo("is_active"));
            Assert.That(options.LastUsedAtColumn, Is.EqualTo("last_used_at"));
            Assert.That(options.CreatedAtColumn, Is.EqualTo("created_at"));
            Assert.That(options.DeactivatedAtColumn, Is.EqualTo("deactivated_at"));
            Assert.That(options.InactiveMonths, Is.EqualTo(6));
            Assert.That(options.BatchSize, Is.EqualTo(10_000));
            Assert.That(DeactivateInactiveCredentialsOptions.SectionName, Is.EqualTo("Tasks:deactivate-inactive-credentials"));
        });
    }

    [Test]
    public async Task RunAsync_DeactivatesCredentialsUnusedForSixMonths_AndKeepsUsedOnes()
    {
        await InsertAsync("used-long-ago", createdAt: Cutoff.AddYears(-1), lastUsedAt: Cutoff.AddDays(-1));
        await InsertAsync("never-used-old", createdAt: Cutoff.AddMinutes(-1), lastUsedAt: null);
        await InsertAsync("used-recently", createdAt: Cutoff.AddYears(-1), lastUsedAt: Now.AddDays(-10));
        await InsertAsync("never-used-new", createdAt: Now.AddDays(-3), lastUsedAt: null);
        await InsertAsync("used-at-cutoff", createdAt: Cutoff.AddYears(-1), lastUsedAt: Cutoff);

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.CredentialsDeactivated, Is.EqualTo(2));
            Assert.That(result.UnusedSince, Is.EqualTo(Cutoff));
            Assert.That(await NamesAsync("NOT is_active"), Is.EqualTo(new[] { "never-used-old", "used-long-ago" }));
            Assert.That(await CountAsync("credentials", "NOT is_active AND deactivated_at = @now", ("now", Now)), Is.EqualTo(2), "stamped with the run's time");
            Assert.That(await CountAsync("credentials", "is_active AND deactivated_at IS NULL"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task RunAsync_LeavesInactiveCredentialsUntouched_WhenAlreadyDeactivated()
    {
        var earlier = Now.AddYears(-1);
        await ExecuteAsync(
            $"INSERT INTO {Schema}.credentials (user_id, name, is_active, created_at, deactivated_at) VALUES (1, 'revoked', false, @old, @earlier)",
            ("old", Cutoff.AddYears(-2)),
            ("earlier", earlier));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.CredentialsDeactivated, Is.Zero);
            Assert.That(await CountAsync("credentials", "deactivated_at = @earlier", ("earlier", earlier)), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_DeactivatesNothingMore_WhenRunTwice()
    {
        await InsertManyAsync(count: 12, createdAt: Cutoff.AddDays(-20));
        var sut = CreateSut(o => o.BatchSize = 5);

        var first = await sut.RunAsync(CancellationToken.None);
        var second = await sut.RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.CredentialsDeactivated, Is.EqualTo(12));
            Assert.That(first.Batches, Is.EqualTo(3));
            Assert.That(second.CredentialsDeactivated, Is.Zero);
            Assert.That(await CountAsync("credentials", "is_active"), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_CountsEachCredentialOnce_WhenTwoRunsOverlap()
    {
        await InsertManyAsync(count: 3000, createdAt: Cutoff.AddDays(-1));
        await InsertManyAsync(count: 30, createdAt: Now.AddDays(-1));

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results.Sum(r => r.CredentialsDeactivated), Is.EqualTo(3000));
            Assert.That(await CountAsync("credentials", "NOT is_active"), Is.EqualTo(3000));
            Assert.That(await CountAsync("credentials", "is_active"), Is.EqualTo(30));
        });
    }

    [Test]
    public async Task RunAsync_SetsNoTimestamp_WhenDeactivatedAtColumnIsEmpty()
    {
        await ExecuteAsync($"ALTER TABLE {Schema}.credentials DROP COLUMN deactivated_at");
        await InsertManyAsync(count: 2, createdAt: Cutoff.AddDays(-1));

        var result = await CreateSut(o => o.DeactivatedAtColumn = "").RunAsync(CancellationToken.None);

        Assert.That(result.CredentialsDeactivated, Is.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(-6)]
    public void RunAsync_ThrowsClearError_WhenInactiveMonthsIsNotPositive(int months)
    {
        var sut = CreateSut(o => o.InactiveMonths = months);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:deactivate-inactive-credentials:InactiveMonths' must be from 1 to 1200, was " + months));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableNameIsEmpty()
    {
        var sut = CreateSut(o => o.TableName = " ");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:deactivate-inactive-credentials:TableName' must be a table name"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableDoesNotExist()
    {
        var sut = CreateSut(o => o.TableName = Table("api_keys"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("api_keys").And.Contains("'Tasks:deactivate-inactive-credentials:TableName'"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenColumnDoesNotExist()
    {
        var sut = CreateSut(o => o.LastUsedAtColumn = "last_seen");

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("last_seen").And.Contains(":LastUsedAtColumn"));
    }

    private DeactivateInactiveCredentialsTask CreateSut(Action<DeactivateInactiveCredentialsOptions>? configure = null)
    {
        var options = new DeactivateInactiveCredentialsOptions { ConnectionString = ConnectionString, TableName = Table("credentials") };
        configure?.Invoke(options);
        return new DeactivateInactiveCredentialsTask(
            Options.Create(options), new FixedTimeProvider(Now), NullLogger<DeactivateInactiveCredentialsTask>.Instance);
    }

    private Task InsertAsync(string name, DateTimeOffset createdAt, DateTimeOffset? lastUsedAt) =>
        ExecuteAsync(
            $"INSERT INTO {Schema}.credentials (user_id, name, created_at, last_used_at) VALUES (1, @name, @created, @used)",
            ("name", name),
            ("created", createdAt),
            ("used", (object?)lastUsedAt ?? DBNull.Value));

    private Task InsertManyAsync(int count, DateTimeOffset createdAt) =>
        ExecuteAsync(
            $"INSERT INTO {Schema}.credentials (user_id, name, created_at) SELECT g, 'key ' || g, @created FROM generate_series(1, @count) AS g",
            ("created", createdAt),
            ("count", count));

    private async Task<string[]> NamesAsync(string where)
    {
        await using var connection = await OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT array_agg(name ORDER BY name) FROM {Schema}.credentials WHERE {where}", connection);
        return (string[])(await command.ExecuteScalarAsync())!;
    }
}
