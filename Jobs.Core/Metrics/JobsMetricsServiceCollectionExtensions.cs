using System.Diagnostics.Metrics;
using Jobs.Filters;
using Jobs.Metrics;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Jobs;

/// <summary><c>services.AddJobsMetrics()</c>: the <c>Jobs</c> meter and the filter that feeds it (called by <c>AddJobsServer</c>).</summary>
public static class JobsMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="JobsMetrics"/> (its meter comes from the host's <see cref="IMeterFactory"/> when there is one)
    /// and a global client, server and apply-state filter that records jobs as they are enqueued, performed and finished.
    /// Calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddJobsMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new JobsMetrics(
            () => sp.GetRequiredService<IJobStorage>().Monitoring,
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<JobsMetrics>>(),
            statisticsMaxAge: null));
        services.TryAddSingleton(sp => new JobMetricsFilter(sp.GetRequiredService<JobsMetrics>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClientFilter, JobMetricsFilter>(sp => sp.GetRequiredService<JobMetricsFilter>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServerFilter, JobMetricsFilter>(sp => sp.GetRequiredService<JobMetricsFilter>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApplyStateFilter, JobMetricsFilter>(sp => sp.GetRequiredService<JobMetricsFilter>()));
        return services;
    }
}
