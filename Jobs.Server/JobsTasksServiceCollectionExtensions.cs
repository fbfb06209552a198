using Jobs.Tasks;

namespace Jobs.Server;

internal static class JobsTasksServiceCollectionExtensions
{
    /// <summary>The task library's services and the registrar that puts its tasks on the schedule at start.</summary>
    public static IServiceCollection AddJobsTasks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRecurringTasks(configuration);
        services.AddHostedService<RecurringTaskRegistrar>();
        return services;
    }
}
