using Jobs.PostgreSql;
using Jobs.Server.Alerts;

namespace Jobs.Server;

/// <summary>Wires the job server host from configuration: storage, server, the recurring tasks of Jobs.Tasks, alert e-mails, health checks and metrics.</summary>
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
        services.AddJobsHealthChecks();
        services.AddJobsPrometheusMetrics();
        return kind;
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
