using Jobs.Storage;

namespace Jobs.Filters;

/// <summary>What every filter context carries.</summary>
public abstract class FilterContext
{
    protected FilterContext(IJobStorage storage, IServiceProvider? services)
    {
        Storage = storage;
        Services = services;
    }

    public IJobStorage Storage { get; }

    /// <summary>The job's DI scope while it performs; the root provider (or null) elsewhere.</summary>
    public IServiceProvider? Services { get; }

    /// <summary>Values one filter leaves for another (or for its own "after" half).</summary>
    public IDictionary<string, object?> Items { get; init; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
