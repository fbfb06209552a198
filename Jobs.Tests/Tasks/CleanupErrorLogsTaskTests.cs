using Jobs.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Tasks;

public sealed class CleanupErrorLogsTaskTests : AppDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now.AddDays(-30);

    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new CleanupErrorLogsOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.TableName, Is.EqualTo("error_logs"));
            Assert.That(options.CreatedAtColumn, Is.EqualTo("created_at"));
            Assert.That(options.RetentionDays, Is.EqualTo(30));
            Assert.That(options.BatchSize, Is.EqualTo(10_000));
            Assert.That(CleanupErrorLogsOptions.SectionName, Is.EqualTo("Tasks:cleanup-error-logs"));
        });
    }

    [Test]
    public void FromConfiguration_BindsSectionAndAppConnectionString_WhenBothAreSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:App"] = "Host=app",
            ["Tasks:cleanup-error-logs:RetentionDays"] = "14",
            ["Tasks:cleanup-error-logs:TableName"] = "ops.errors",
        }).Build();

        var options = CleanupErrorLogsOptions.FromConfiguration(configuration);

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(options.RetentionDays, Is.EqualTo(14));
            Assert.That(options.TableName, Is.EqualTo("ops.errors"));
        });
    }

    [Test]
    public async Task RunAsync_DeletesRowsOlderThanRetention_AndKeepsTheRest()
    {
        await InsertErrorsAsync(count: 6, createdAt: Cutoff.AddSeconds(-1));
        await InsertErrorsAsync(count: 2, createdAt: Cutoff);
        await InsertErrorsAsync(count: 3, createdAt: Now.AddDays(-1));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.RowsDeleted, Is.EqualTo(6));
            Assert.That(result.LoggedBefore, Is.EqualTo(Cutoff));
            Assert.That(await CountAsync("error_logs"), Is.EqualTo(5));
            Assert.That(await CountAsync("error_logs", "created_at < @cutoff", ("cutoff", Cutoff)), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_DeletesInBatches_WhenMoreRowsThanBatchSizeAreOld()
    {
        await InsertErrorsAsync(count: 23, createdAt: Cutoff.AddDays(-5));

        var result = await CreateSut(o => o.BatchSize = 10).RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.RowsDeleted, Is.EqualTo(23));
            Assert.That(result.Batches, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task RunAsync_DeletesNothingMore_WhenRunTwice()
    {
        await InsertErrorsAsync(count: 4, createdAt: Cutoff.AddHours(-1));
        await InsertErrorsAsync(count: 4, createdAt: Cutoff.AddHours(1));
        var sut = CreateSut();

        var first = await sut.RunAsync(CancellationToken.None);
        var second = await sut.RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.RowsDeleted, Is.EqualTo(4));
            Assert.That(second.RowsDeleted, Is.Zero);
            Assert.That(await CountAsync("error_logs"), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task RunAsync_DeletesEachRowOnce_WhenTwoRunsOverlap()
    {
        await InsertErrorsAsync(count: 3000, createdAt: Cutoff.AddDays(-1));
        await InsertErrorsAsync(count: 50, createdAt: Now);

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results.Sum(r => r.RowsDeleted), Is.EqualTo(3000));
            Assert.That(await CountAsync("error_logs"), Is.EqualTo(50));
        });
    }

    [Test]
    public async Task RunAsync_UsesConfiguredRetention_WhenRetentionDaysIsSet()
    {
        await InsertErrorsAsync(count: 2, createdAt: Now.AddDays(-8));
        await InsertErrorsAsync(count: 3, createdAt: Now.AddDays(-6));

        var result = await CreateSut(o => o.RetentionDays = 7).RunAsync(CancellationToken.None);

        Assert.That(result.RowsDeleted, Is.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void RunAsync_ThrowsClearError_WhenRetentionDaysIsNotPositive(int days)
    {
        var sut = CreateSut(o => o.RetentionDays = days);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:cleanup-error-logs:RetentionDays' must be from 1 to 36500, was " + days));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableNameIsEmpty()
    {
        var sut = CreateSut(o => o.TableName = "");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:cleanup-error-logs:TableName' must be a table name"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableDoesNotExist()
    {
        var sut = CreateSut(o => o.TableName = Table("missing_errors"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("missing_errors").And.Contains("Tasks:cleanup-error-logs:TableName"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenColumnDoesNotExist()
    {
        var sut = CreateSut(o => o.CreatedAtColumn = "logged_at");

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("logged_at").And.Contains(":CreatedAtColumn"));
    }

    private CleanupErrorLogsTask CreateSut(Action<CleanupErrorLogsOptions>? configure = null)
    {
        var options = new CleanupErrorLogsOptions { ConnectionString = ConnectionString, TableName = Table("error_logs") };
        configure?.Invoke(options);
        return new CleanupErrorLogsTask(Options.Create(options), new FixedTimeProvider(Now), NullLogger<CleanupErrorLogsTask>.Instance);
    }

    private Task InsertErrorsAsync(int count, DateTimeOffset createdAt) =>
        ExecuteAsync(
            $"INSERT INTO {Schema}.error_logs (source, message, created_at) SELECT 'api', 'boom ' || g, @created FROM generate_series(1, @count) AS g",
            ("created", createdAt),
            ("count", count));
}
