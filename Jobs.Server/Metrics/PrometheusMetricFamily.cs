namespace Jobs.Server.Metrics;

/// <summary>One metric name with its help text, type and series, as the text format writes it.</summary>
internal sealed record PrometheusMetricFamily(string Name, string Help, PrometheusMetricType Type, IReadOnlyList<PrometheusSeries> Series);
