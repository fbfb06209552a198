namespace Jobs.Server.Metrics;

/// <summary>The metric types of the Prometheus text format that instruments map to.</summary>
internal enum PrometheusMetricType
{
    Counter,
    Gauge,
    Histogram,
}
