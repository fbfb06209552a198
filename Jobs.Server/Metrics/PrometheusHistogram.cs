namespace Jobs.Server.Metrics;

/// <summary>A histogram's state: <paramref name="BucketCounts"/> holds one count per upper bound plus one for +Inf, not cumulative.</summary>
internal sealed record PrometheusHistogram(IReadOnlyList<double> Bounds, IReadOnlyList<long> BucketCounts, double Sum, long Count);
