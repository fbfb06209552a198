using Jobs.Metrics;
using Jobs.Server.Metrics;

namespace Jobs.Server;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format (0.0.4): the <c>Jobs</c> meter of this host (<see cref="JobsMetrics"/>)
/// and the runtime's <c>System.Runtime</c> meter (GC, memory, thread pool, CPU time).
/// </summary>
public static class JobsMetricsEndpoints
{
    /// <summary>The meter of the .NET runtime's own metrics.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>How long a scrape waits for fresh statistics for the gauges before it answers with the previous ones.</summary>
    private static readonly TimeSpan StatisticsWait = TimeSpan.FromSeconds(2);

    /// <summary>Registers the exporter that listens to the <c>Jobs</c> and <c>System.Runtime</c> meters (needs <c>AddJobsServer</c> or <c>AddJobsMetrics</c>).</summary>
    public static IServiceCollection AddJobsPrometheusMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddJobsMetrics();
        services.AddSingleton(sp =>
        {
            var jobsMeter = sp.GetRequiredService<JobsMetrics>().Meter;
            return new PrometheusMetricsCollector(instrument =>
                ReferenceEquals(instrument.Meter, jobsMeter) || instrument.Meter.Name == RuntimeMeterName);
        });
        return services;
    }

    /// <summary>
    /// Maps <paramref name="pattern"/> to the Prometheus scrape endpoint. It is anonymous unless the returned builder is
    /// chained with <c>RequireAuthorization(…)</c>. The exporter starts listening here, so counts start before the first scrape.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var collector = endpoints.ServiceProvider.GetService<PrometheusMetricsCollector>() ?? throw new InvalidOperationException(
            "MapJobsMetrics needs the exporter: call services.AddJobsPrometheusMetrics() when configuring services.");
        var metrics = endpoints.ServiceProvider.GetRequiredService<JobsMetrics>();
        return endpoints.MapGet(pattern, async (CancellationToken cancellationToken) =>
        {
            await metrics.RefreshStatisticsAsync(StatisticsWait, cancellationToken);
            return Results.Text(collector.Collect(), PrometheusTextWriter.ContentType);
        });
    }
}
