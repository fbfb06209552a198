using Jobs.PostgreSql;
using Jobs.Server.Alerts;
using Jobs.Server.DashboardUsers;

namespace Jobs.Server;

/// <summary>
/// Wires the job server host from configuration: storage, server, the recurring tasks of Jobs.Tasks, alert e-mails,
/// dashboard users, the application's job assemblies, health checks and metrics.
/// </summary>
public static class JobsHostServiceCollectionExtensions
{
    public static JobsStorageKind AddJobsHost(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString("Jobs");
        var kind = string.IsNullOrWhiteSpace(connectionString) ? JobsStorageKind.InMemory : JobsStorageKind.PostgreSql;

        services.AddJobs(options =>
        {
            if (kind == JobsStorageKind.InMemory)
            {
                options.UseInMemoryStorage();
            }
            else
            {
                options.UsePostgreSqlStorage(connectionString!, pg => configuration.GetSection("Jobs:PostgreSql").Bind(pg));
            }
        });

        services.AddJobsServer(options => BindServerOptions(configuration.GetSection("Jobs:Server"), options));
        services.AddJobsTasks(configuration);
        services.AddJobsAlerts(configuration);
        services.AddDashboardUsers(configuration);
        services.AddJobAssemblies(configuration);
        services.AddJobsHealthChecks();
        services.AddJobsPrometheusMetrics();
        return kind;
    }

    /// <summary>Loads the assemblies of <c>Jobs:Server:JobAssemblies</c> now (a missing file stops the start) and logs them at start.</summary>
    public static IServiceCollection AddJobAssemblies(this IServiceCollection services, IConfiguration configuration)
    {
        var assemblies = JobAssemblyLoader.Load(configuration);
        if (assemblies.Count > 0)
        {
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<JobAssemblyStartupLog>(sp, assemblies));
        }

        return services;
    }

    private static void BindServerOptions(IConfigurationSection section, BackgroundJobServerOptions options)
    {
        var queues = section.GetSection("Queues").Get<string[]>();
        section.Bind(options);
        if (queues is { Length: > 0 })
        {
            // The binder appends to a list that already holds the default queue; configured queues replace it.
            options.Queues = queues;
        }
    }
}
