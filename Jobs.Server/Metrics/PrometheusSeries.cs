namespace Jobs.Server.Metrics;

/// <summary>One labeled series: a value (counter, gauge) or a histogram.</summary>
internal sealed record PrometheusSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, PrometheusHistogram? Histogram = null);
