using Jobs.Metrics;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Moq;

namespace Jobs.Tests.Metrics;

public sealed class StatisticsSnapshotCacheMetricsTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly JobStatistics Statistics = new(Enqueued: 3, Scheduled: 0, Awaiting: 0, Processing: 1, Succeeded: 7, Failed: 2, Deleted: 0, Retries: 0, Servers: 1, RecurringJobs: 0, Queues: 1);

    private ManualTimeProvider _time = null!;
    private Mock<IMonitoringApi> _monitoring = null!;
    private TaskCompletionSource<JobStatistics> _answer = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _monitoring = new Mock<IMonitoringApi>(MockBehavior.Strict);
        _answer = new TaskCompletionSource<JobStatistics>(TaskCreationOptions.RunContinuationsAsynchronously);
        _monitoring.Setup(m => m.GetStatisticsAsync(It.IsAny<CancellationToken>())).Returns(() => _answer.Task);
        _monitoring.Setup(m => m.GetQueuesAsync(0, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new[] { new QueueSummary("default", 3, []) });
    }

    [Test]
    public async Task RefreshAsync_RunsOneQuery_WhenManyCallersFindTheSnapshotStaleAtOnce()
    {
        var cache = CreateSut();

        var waiting = Enumerable.Range(0, 5).Select(_ => cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None)).ToArray();
        _ = cache.Current;
        _answer.SetResult(Statistics);
        await Task.WhenAll(waiting);

        _monitoring.Verify(m => m.GetStatisticsAsync(It.IsAny<CancellationToken>()), Times.Once);
        Assert.That(cache.Current!.Statistics, Is.EqualTo(Statistics));
        Assert.That(cache.Current!.Queues.Single().Length, Is.EqualTo(3));
    }

    [Test]
    public async Task RefreshAsync_KeepsTheSnapshot_UntilItIsOlderThanMaxAge()
    {
        var cache = CreateSut();
        _answer.SetResult(Statistics);
        await cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        _time.Advance(MaxAge - TimeSpan.FromMilliseconds(1));
        await cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        _monitoring.Verify(m => m.GetStatisticsAsync(It.IsAny<CancellationToken>()), Times.Once);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        _monitoring.Verify(m => m.GetStatisticsAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task RefreshAsync_ReturnsAfterTheWait_WhileTheQueryGoesOn()
    {
        var cache = CreateSut();

        var refresh = cache.RefreshAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        await refresh;

        Assert.That(cache.Current, Is.Null, "no snapshot yet");
        _answer.SetResult(Statistics);
        await MetricsPoll.UntilAsync(() => Task.FromResult(cache.Current), c => c is not null, "the running query to finish");
        _monitoring.Verify(m => m.GetStatisticsAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Current_IsNull_AfterAFailedRead_AndTheNextReadWaitsMaxAge()
    {
        var cache = CreateSut();
        _answer.SetResult(Statistics);
        await cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        _time.Advance(MaxAge);
        _answer = new TaskCompletionSource<JobStatistics>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answer.SetException(new InvalidOperationException("storage is away"));

        await cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.That(cache.Current, Is.Null, "no numbers that may no longer be true");
        await cache.RefreshAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        _monitoring.Verify(m => m.GetStatisticsAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    private StatisticsSnapshotCache CreateSut() => new(() => _monitoring.Object, MaxAge, _time, logger: null);
}
