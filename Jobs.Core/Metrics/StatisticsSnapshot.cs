using Jobs.Storage;

namespace Jobs.Metrics;

/// <summary>What the gauges report, as read at <paramref name="ReadAt"/>.</summary>
internal sealed record StatisticsSnapshot(JobStatistics Statistics, IReadOnlyList<QueueSummary> Queues, DateTimeOffset ReadAt);
