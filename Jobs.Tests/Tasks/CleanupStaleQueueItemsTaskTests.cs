using Jobs.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Tasks;

public sealed class CleanupStaleQueueItemsTaskTests : AppDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now.AddHours(-24);

    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new CleanupStaleQueueItemsOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.TableName, Is.EqualTo("queue_items"));
            Assert.That(options.StatusColumn, Is.EqualTo("status"));
            Assert.That(options.UpdatedAtColumn, Is.EqualTo("updated_at"));
            Assert.That(options.Statuses, Is.EqualTo(new[] { "pending", "processing" }));
            Assert.That(options.StaleAfter, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(options.BatchSize, Is.EqualTo(10_000));
            Assert.That(CleanupStaleQueueItemsOptions.SectionName, Is.EqualTo("Tasks:cleanup-stale-queue-items"));
        });
    }

    [Test]
    public void FromConfiguration_ReplacesDefaultStatuses_WhenStatusesAreConfigured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:cleanup-stale-queue-items:Statuses:0"] = "claimed",
            ["Tasks:cleanup-stale-queue-items:StaleAfter"] = "06:00:00",
        }).Build();

        var options = CleanupStaleQueueItemsOptions.FromConfiguration(configuration);

        Assert.Multiple(() =>
        {
            Assert.That(options.Statuses, Is.EqualTo(new[] { "claimed" }));
            Assert.That(options.StaleAfter, Is.EqualTo(TimeSpan.FromHours(6)));
        });
    }

    [Test]
    public async Task RunAsync_RemovesStuckPendingAndProcessingItems_AndKeepsTheRest()
    {
        await InsertAsync(count: 4, status: "pending", updatedAt: Cutoff.AddMinutes(-1));
        await InsertAsync(count: 3, status: "processing", updatedAt: Cutoff.AddHours(-30));
        await InsertAsync(count: 2, status: "pending", updatedAt: Now.AddHours(-1));
        await InsertAsync(count: 2, status: "processing", updatedAt: Cutoff);
        await InsertAsync(count: 5, status: "done", updatedAt: Cutoff.AddDays(-10));
        await InsertAsync(count: 1, status: "failed", updatedAt: Cutoff.AddDays(-10));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.ItemsRemoved, Is.EqualTo(7));
            Assert.That(result.UnchangedSince, Is.EqualTo(Cutoff));
            Assert.That(result.Statuses, Is.EqualTo(new[] { "pending", "processing" }));
            Assert.That(await CountAsync("queue_items", "status IN ('pending', 'processing')"), Is.EqualTo(4), "recent items stay");
            Assert.That(await CountAsync("queue_items", "status IN ('done', 'failed')"), Is.EqualTo(6), "other statuses stay");
        });
    }

    [Test]
    public async Task RunAsync_UsesConfiguredStaleAfter_WhenSet()
    {
        await InsertAsync(count: 2, status: "pending", updatedAt: Now.AddHours(-3));
        await InsertAsync(count: 1, status: "pending", updatedAt: Now.AddMinutes(-90));

        var result = await CreateSut(o => o.StaleAfter = TimeSpan.FromHours(2)).RunAsync(CancellationToken.None);

        Assert.That(result.ItemsRemoved, Is.EqualTo(2));
    }

    [Test]
    public async Task RunAsync_RemovesNothingMore_WhenRunTwice()
    {
        await InsertAsync(count: 11, status: "processing", updatedAt: Cutoff.AddHours(-1));
        await InsertAsync(count: 3, status: "pending", updatedAt: Now);
        var sut = CreateSut(o => o.BatchSize = 4);

        var first = await sut.RunAsync(CancellationToken.None);
        var second = await sut.RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.ItemsRemoved, Is.EqualTo(11));
            Assert.That(first.Batches, Is.EqualTo(3));
            Assert.That(second.ItemsRemoved, Is.Zero);
            Assert.That(await CountAsync("queue_items"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task RunAsync_RemovesEachItemOnce_WhenTwoRunsOverlap()
    {
        await InsertAsync(count: 1500, status: "pending", updatedAt: Cutoff.AddHours(-2));
        await InsertAsync(count: 1500, status: "processing", updatedAt: Cutoff.AddHours(-2));
        await InsertAsync(count: 20, status: "done", updatedAt: Cutoff.AddHours(-2));

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut(o => o.BatchSize = 50).RunAsync(CancellationToken.None)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results.Sum(r => r.ItemsRemoved), Is.EqualTo(3000));
            Assert.That(await CountAsync("queue_items"), Is.EqualTo(20));
        });
    }

    [TestCase("00:00:00")]
    [TestCase("-01:00:00")]
    public void RunAsync_ThrowsClearError_WhenStaleAfterIsNotPositive(string staleAfter)
    {
        var sut = CreateSut(o => o.StaleAfter = TimeSpan.Parse(staleAfter, System.Globalization.CultureInfo.InvariantCulture));

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:cleanup-stale-queue-items:StaleAfter' must be more than 00:00:00"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenStatusesAreEmpty()
    {
        var sut = CreateSut(o => o.Statuses = []);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:cleanup-stale-queue-items:Statuses' must list at least one status"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableNameIsEmpty()
    {
        var sut = CreateSut(o => o.TableName = "");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:cleanup-stale-queue-items:TableName' must be a table name"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTableDoesNotExist()
    {
        var sut = CreateSut(o => o.TableName = Table("outbox"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("outbox").And.Contains("'Tasks:cleanup-stale-queue-items:TableName'"));
    }

    [Test]
    public async Task RunAsync_ThrowsClearError_WhenStatusColumnIsNotText()
    {
        await ExecuteAsync($"CREATE TABLE {Schema}.jobs_queue (id int PRIMARY KEY, state int NOT NULL, updated_at timestamptz NOT NULL)");

        var sut = CreateSut(o =>
        {
            o.TableName = Table("jobs_queue");
            o.StatusColumn = "state";
        });
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain(":StatusColumn' ('state') must be a text or varchar column"));
    }

    private CleanupStaleQueueItemsTask CreateSut(Action<CleanupStaleQueueItemsOptions>? configure = null)
    {
        var options = new CleanupStaleQueueItemsOptions { ConnectionString = ConnectionString, TableName = Table("queue_items") };
        configure?.Invoke(options);
        return new CleanupStaleQueueItemsTask(
            Options.Create(options), new FixedTimeProvider(Now), NullLogger<CleanupStaleQueueItemsTask>.Instance);
    }

    private Task InsertAsync(int count, string status, DateTimeOffset updatedAt) =>
        ExecuteAsync(
            $"INSERT INTO {Schema}.queue_items (status, created_at, updated_at) SELECT @status, @updated, @updated FROM generate_series(1, @count)",
            ("status", status),
            ("updated", updatedAt),
            ("count", count));
}
