using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Jobs;

/// <summary><c>services.AddJobs(o => o.UseInMemoryStorage())</c>: the storage, the filters, the state machine and the client.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TimeProvider.System"/> (unless one is registered), the <see cref="IJobStorage"/>
    /// chosen in <paramref name="configure"/>, the <see cref="IJobFilterProvider"/> (the global filters of
    /// <see cref="JobsOptions.Filters"/> plus every DI service registered as <see cref="IClientFilter"/>,
    /// <see cref="IServerFilter"/>, <see cref="IElectStateFilter"/> or <see cref="IApplyStateFilter"/>),
    /// the <see cref="BackgroundJobStateChanger"/> and the <see cref="IBackgroundJobClient"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No storage was chosen.</exception>
    public static IServiceCollection AddJobs(this IServiceCollection services, Action<JobsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new JobsOptions();
        configure(options);
        var storageFactory = options.StorageFactory ?? throw new InvalidOperationException(
            "AddJobs needs a storage: call o.UseInMemoryStorage(), o.UsePostgreSqlStorage(…) or o.UseStorage(…) in the configure action.");

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IJobStorage>(sp => storageFactory(sp));
        services.TryAddSingleton<IJobFilterProvider>(sp => new JobFilterProvider(
            options.Filters
                .Concat(sp.GetServices<IClientFilter>())
                .Concat(sp.GetServices<IServerFilter>())
                .Concat(sp.GetServices<IElectStateFilter>())
                .Concat(sp.GetServices<IApplyStateFilter>())
                .Distinct(ReferenceEqualityComparer.Instance)));
        services.TryAddSingleton(sp => new BackgroundJobStateChanger(
            sp.GetRequiredService<IJobStorage>(),
            sp.GetRequiredService<IJobFilterProvider>(),
            sp,
            sp.GetService<ILogger<BackgroundJobStateChanger>>()));
        services.TryAddSingleton(sp => new BackgroundJobClient(sp.GetRequiredService<IJobStorage>(), sp.GetRequiredService<IJobFilterProvider>(), sp));
        services.TryAddSingleton<IBackgroundJobClient>(sp => sp.GetRequiredService<BackgroundJobClient>());

        services.TryAddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(sp.GetRequiredService<IJobStorage>(), sp.GetRequiredService<IJobFilterProvider>(), sp.GetService<TimeProvider>(), sp));

        return services;
    }
}
