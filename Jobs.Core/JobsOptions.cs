using Jobs.Storage;

namespace Jobs;

/// <summary>What <c>services.AddJobs(o => …)</c> configures: the storage and the global filters.</summary>
public sealed class JobsOptions
{
    /// <summary>Creates the storage; set by <c>UseStorage</c>, <c>UseInMemoryStorage</c> or <c>UsePostgreSqlStorage</c>.</summary>
    public Func<IServiceProvider, IJobStorage>? StorageFactory { get; private set; }

    /// <summary>Filters applied to every job (client, server, elect-state, apply-state). Holds the default <see cref="AutomaticRetryAttribute"/>.</summary>
    public IList<object> Filters { get; } = [new AutomaticRetryAttribute()];

    public JobsOptions UseStorage(IJobStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        StorageFactory = _ => storage;
        return this;
    }

    public JobsOptions UseStorage(Func<IServiceProvider, IJobStorage> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        StorageFactory = factory;
        return this;
    }
}
