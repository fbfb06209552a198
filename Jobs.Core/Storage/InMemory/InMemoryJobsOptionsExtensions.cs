using Jobs.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs;

/// <summary>Selects the in-memory storage: <c>services.AddJobs(o => o.UseInMemoryStorage())</c>.</summary>
public static class InMemoryJobsOptionsExtensions
{
    /// <summary>Uses one in-memory storage for the whole container, on the container's <see cref="TimeProvider"/> when it has one.</summary>
    public static JobsOptions UseInMemoryStorage(this JobsOptions options, Action<InMemoryStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storageOptions = new InMemoryStorageOptions();
        configure?.Invoke(storageOptions);
        storageOptions.Validate();
        return options.UseStorage(sp => new InMemoryJobStorage(storageOptions, sp.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
