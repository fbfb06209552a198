using Jobs.Filters;
using Jobs.Server;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs;

/// <summary><c>services.AddJobsServer(o => …)</c>: runs a <see cref="BackgroundJobServer"/> as a hosted service.</summary>
public static class JobsServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the job server as a hosted service, with <see cref="BackgroundJobServerOptions"/>
    /// (bind <c>Jobs:Server</c> yourself with <c>services.Configure&lt;BackgroundJobServerOptions&gt;(…)</c>)
    /// validated when the host starts, and the <c>Jobs</c> meter (<see cref="JobsMetricsServiceCollectionExtensions.AddJobsMetrics"/>).
    /// Needs <c>services.AddJobs(…)</c> for the storage and filters.
    /// Also adds a logging provider that copies what jobs log through <see cref="ILogger"/> while they run into
    /// their job logs (see <see cref="JobLogOptions"/>).
    /// </summary>
    public static IServiceCollection AddJobsServer(this IServiceCollection services, Action<BackgroundJobServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BackgroundJobServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackgroundJobServerOptions>, ServerOptionsValidator>());
        options.ValidateOnStart();
        services.TryAddSingleton(sp => new BackgroundJobServer(
            sp.GetRequiredService<IOptions<BackgroundJobServerOptions>>().Value,
            sp.GetService<IJobStorage>() ?? throw new InvalidOperationException("The job server needs a storage: call services.AddJobs(o => o.UseInMemoryStorage()) (or UsePostgreSqlStorage) before AddJobsServer."),
            sp,
            sp.GetService<IJobFilterProvider>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundJobServer>());
        services.AddJobsMetrics();

        // What jobs log through ILogger while they run also goes to their own logs. The provider decides by
        // JobLogOptions.MinimumLevel, not by the host's logging levels (a quiet console must not empty the job logs).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, JobLogLoggerProvider>());
        services.Configure<LoggerFilterOptions>(o => o.AddFilter<JobLogLoggerProvider>(null, LogLevel.Trace));
        return services;
    }
}
