using Jobs.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Tasks;

public sealed class ArchiveAuditLogsTaskTests : AppDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now.AddDays(-90);

    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new ArchiveAuditLogsOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.TableName, Is.EqualTo("audit_logs"));
            Assert.That(options.ArchiveTableName, Is.EqualTo("audit_logs_archive"));
            Assert.That(options.CreatedAtColumn, Is.EqualTo("created_at"));
            Assert.That(options.RetentionDays, Is.EqualTo(90));
            Assert.That(options.BatchSize, Is.EqualTo(10_000));
            Assert.That(ArchiveAuditLogsOptions.SectionName, Is.EqualTo("Tasks:archive-audit-logs"));
        });
    }

    [Test]
    public async Task RunAsync_MovesOldRowsToArchive_AndKeepsRecentOnes()
    {
        await InsertAuditAsync(count: 5, createdAt: Cutoff.AddMinutes(-1));
        await InsertAuditAsync(count: 3, createdAt: Cutoff);
        await InsertAuditAsync(count: 2, createdAt: Now.AddDays(-1));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.RowsArchived, Is.EqualTo(5));
            Assert.That(result.CreatedBefore, Is.EqualTo(Cutoff));
            Assert.That(await CountAsync("audit_logs"), Is.EqualTo(5));
            Assert.That(await CountAsync("audit_logs", "created_at < @cutoff", ("cutoff", Cutoff)), Is.Zero);
            Assert.That(await CountAsync("audit_logs_archive"), Is.EqualTo(5));
            Assert.That(await CountAsync("audit_logs_archive", "created_at < @cutoff", ("cutoff", Cutoff)), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task RunAsync_KeepsEveryColumnValue_WhenRowIsArchived()
    {
        await ExecuteAsync(
            $$"""INSERT INTO {{Schema}}.audit_logs (id, user_id, action, details, created_at) VALUES (77, 5, 'login', '{"ip": "10.0.0.1"}', @at)""",
            ("at", Cutoff.AddDays(-1)));

        await CreateSut().RunAsync(CancellationToken.None);

        var archived = await ScalarAsync<string>(
            $"SELECT concat_ws('|', id, user_id, action, details ->> 'ip', created_at = @at, archived_at IS NOT NULL) FROM {Schema}.audit_logs_archive",
            ("at", Cutoff.AddDays(-1)));
        Assert.That(archived, Is.EqualTo("77|5|login|10.0.0.1|t|t"));
    }

    [Test]
    public async Task RunAsync_MovesInBatches_WhenMoreRowsThanBatchSizeAreOld()
    {
        await InsertAuditAsync(count: 25, createdAt: Cutoff.AddDays(-1));

        var result = await CreateSut(o => o.BatchSize = 10).RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.RowsArchived, Is.EqualTo(25));
            Assert.That(result.Batches, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task RunAsync_MovesNothingMore_WhenRunTwice()
    {
        await InsertAuditAsync(count: 7, createdAt: Cutoff.AddDays(-3));
        await InsertAuditAsync(count: 4, createdAt: Now);
        var sut = CreateSut();

        var first = await sut.RunAsync(CancellationToken.None);
        var second = await sut.RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.RowsArchived, Is.EqualTo(7));
            Assert.That(second.RowsArchived, Is.Zero);
            Assert.That(await CountAsync("audit_logs"), Is.EqualTo(4));
            Assert.That(await CountAsync("audit_logs_archive"), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task RunAsync_MovesEachRowExactlyOnce_WhenTwoRunsOverlap()
    {
        await InsertAuditAsync(count: 3000, createdAt: Cutoff.AddDays(-1));
        await InsertAuditAsync(count: 40, createdAt: Now);

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results.Sum(r => r.RowsArchived), Is.EqualTo(3000));
            Assert.That(await CountAsync("audit_logs"), Is.EqualTo(40));
            Assert.That(await CountAsync("audit_logs_archive"), Is.EqualTo(3000));
            Assert.That(await ScalarAsync<long>($"SELECT count(DISTINCT id) FROM {Schema}.audit_logs_archive"), Is.EqualTo(3000), "no row archived twice");
            Assert.That(
                await ScalarAsync<long>($"SELECT count(*) FROM {Schema}.audit_logs a JOIN {Schema}.audit_logs_archive r USING (id)"),
                Is.Zero,
                "no row in both tables");
        });
    }

    [Test]
    public async Task RunAsync_SkipsRowsHeldByAnotherTransaction_AndArchivesThemNextTime()
    {
        await InsertAuditAsync(count: 10, createdAt: Cutoff.AddDays(-1));

        await using (var other = await OpenAsync())
        await using (var transaction = await other.BeginTransactionAsync())
        {
            await using (var hold = new Npgsql.NpgsqlCommand($"SELECT id FROM {Schema}.audit_logs ORDER BY id LIMIT 4 FOR UPDATE", other, transaction))
            {
                await hold.ExecuteNonQueryAsync();
            }

            var whileHeld = await CreateSut().RunAsync(CancellationToken.None);

            Assert.That(whileHeld.RowsArchived, Is.EqualTo(6), "rows held by another transaction are skipped, not waited for");
            await transaction.RollbackAsync();
        }

        var afterwards = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(afterwards.RowsArchived, Is.EqualTo(4));
            Assert.That(await CountAsync("audit_logs"), Is.Zero);
            Assert.That(await CountAsync("audit_logs_archive"), Is.EqualTo(10));
        });
    }

    [Test]
    public async Task RunAsync_MovesNothing_WhenTokenIsCanceled()
    {
        await InsertAuditAsync(count: 3, createdAt: Cutoff.AddDays(-1));
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => CreateSut().RunAsync(canceled.Token));
        Assert.That(await CountAsync("audit_logs"), Is.EqualTo(3));
    }

    [Test]
    public async Task RunAsync_LeavesRowInPlace_WhenItIsAlreadyArchived()
    {
        await InsertAuditAsync(count: 3, createdAt: Cutoff.AddDays(-1));
        await ExecuteAsync(
            $"INSERT INTO {Schema}.audit_logs_archive (id, action, created_at) SELECT id, action, created_at FROM {Schema}.audit_logs ORDER BY id LIMIT 1");

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => CreateSut().RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("already in").And.Contains("rolled back"));
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await CountAsync("audit_logs"), Is.EqualTo(3), "the failed batch deleted nothing");
            Assert.That(await CountAsync("audit_logs_archive"), Is.EqualTo(1), "and archived nothing");
        });
    }

    [Test]
    public async Task RunAsync_ThrowsClearError_WhenArchiveLacksAColumn()
    {
        await ExecuteAsync($"ALTER TABLE {Schema}.audit_logs_archive DROP COLUMN details");
        await InsertAuditAsync(count: 2, createdAt: Cutoff.AddDays(-1));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => CreateSut().RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("lacks column(s) 'details'"));
        Assert.That(await CountAsync("audit_logs"), Is.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void RunAsync_ThrowsClearError_WhenRetentionDaysIsNotPositive(int days)
    {
        var sut = CreateSut(o => o.RetentionDays = days);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:archive-audit-logs:RetentionDays' must be from 1 to 36500"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenArchiveTableNameIsEmpty()
    {
        var sut = CreateSut(o => o.ArchiveTableName = "");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:archive-audit-logs:ArchiveTableName' must be a table name"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenArchiveIsTheAuditTable()
    {
        var sut = CreateSut(o => o.ArchiveTableName = o.TableName);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("must differ"));
    }

    [TestCase("TableName", "missing_audit")]
    [TestCase("ArchiveTableName", "missing_archive")]
    public void RunAsync_ThrowsClearError_WhenTableDoesNotExist(string key, string table)
    {
        var sut = CreateSut(o =>
        {
            if (key == "TableName")
            {
                o.TableName = Table(table);
            }
            else
            {
                o.ArchiveTableName = Table(table);
            }
        });

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"table '{Table(table)}' does not exist").And.Contains($"'Tasks:archive-audit-logs:{key}'"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenCreatedAtColumnDoesNotExist()
    {
        var sut = CreateSut(o => o.CreatedAtColumn = "happened_at");

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("has no column 'happened_at'"));
    }

    private ArchiveAuditLogsTask CreateSut(Action<ArchiveAuditLogsOptions>? configure = null)
    {
        var options = new ArchiveAuditLogsOptions
        {
            ConnectionString = ConnectionString,
            TableName = Table("audit_logs"),
            ArchiveTableName = Table("audit_logs_archive"),
        };
        configure?.Invoke(options);
        return new ArchiveAuditLogsTask(Options.Create(options), new FixedTimeProvider(Now), NullLogger<ArchiveAuditLogsTask>.Instance);
    }

    private Task InsertAuditAsync(int count, DateTimeOffset createdAt) =>
        ExecuteAsync(
            $"INSERT INTO {Schema}.audit_logs (user_id, action, created_at) SELECT g, 'update', @created FROM generate_series(1, @count) AS g",
            ("created", createdAt),
            ("count", count));
}
