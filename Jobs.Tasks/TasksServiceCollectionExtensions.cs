using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>Registers the task library with a host's services.</summary>
public static class TasksServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="RecurringTaskCatalog"/> of Jobs.Tasks (built from <paramref name="configuration"/>, so
    /// invalid tasks or settings fail here), every task class as a transient service, and the tasks' options.
    /// Options of an enabled task are validated when the host starts. Registering the definitions with the
    /// recurring job manager is the host's part, and so is an <see cref="Mail.ITaskEmailSender"/> for the tasks that send e-mail.
    /// </summary>
    /// <exception cref="RecurringTaskCatalogException">A task or its <c>Tasks:&lt;id&gt;</c> configuration is invalid.</exception>
    public static IServiceCollection AddRecurringTasks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var catalog = RecurringTaskCatalog.FromAssembly(configuration: configuration);
        services.TryAddSingleton(catalog);
        services.TryAddSingleton(TimeProvider.System);
        foreach (var definition in catalog.Definitions)
        {
            services.TryAddTransient(definition.TaskType);
        }

        AddTaskOptions<CleanupExpiredSessionsOptions>(services, catalog, CleanupExpiredSessionsTask.Id, configuration);
        AddTaskOptions<ArchiveAuditLogsOptions>(services, catalog, ArchiveAuditLogsTask.Id, configuration);
        AddTaskOptions<AggregateDailyStatsOptions>(services, catalog, AggregateDailyStatsTask.Id, configuration);
        AddTaskOptions<CleanupErrorLogsOptions>(services, catalog, CleanupErrorLogsTask.Id, configuration);
        AddTaskOptions<DeactivateInactiveCredentialsOptions>(services, catalog, DeactivateInactiveCredentialsTask.Id, configuration);
        AddTaskOptions<CleanupStaleQueueItemsOptions>(services, catalog, CleanupStaleQueueItemsTask.Id, configuration);
        AddTaskOptions<DatabaseMaintenanceOptions>(services, catalog, DatabaseMaintenanceTask.Id, configuration);
        AddTaskOptions<BackupDatabaseOptions>(services, catalog, BackupDatabaseTask.Id, configuration);
        AddTaskOptions<WeeklyReportOptions>(services, catalog, WeeklyReportTask.Id, configuration);
        return services;
    }

    /// <summary>Binds a task's options; validates them at start only when the task is enabled.</summary>
    private static void AddTaskOptions<TOptions>(
        IServiceCollection services,
        RecurringTaskCatalog catalog,
        string taskId,
        IConfiguration configuration)
        where TOptions : TaskOptions
    {
        var options = services.AddOptions<TOptions>().Configure(o => o.BindFrom(configuration));
        if (catalog.Find(taskId) is { Enabled: true })
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TaskOptionsValidator<TOptions>>());
            options.ValidateOnStart();
        }
    }
}
