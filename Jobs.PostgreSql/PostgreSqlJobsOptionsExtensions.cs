using Jobs.PostgreSql;
using Microsoft.Extensions.Logging;

namespace Jobs;

/// <summary><c>services.AddJobs(o => o.UsePostgreSqlStorage(connectionString))</c>.</summary>
public static class PostgreSqlJobsOptionsExtensions
{
    /// <summary>Stores jobs in PostgreSQL; <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> come from the container when registered.</summary>
    public static JobsOptions UsePostgreSqlStorage(this JobsOptions options, string connectionString, Action<PostgreSqlStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var storageOptions = new PostgreSqlStorageOptions();
        configure?.Invoke(storageOptions);
        storageOptions.Validate();
        return options.UseStorage(sp => new PostgreSqlJobStorage(
            connectionString,
            storageOptions,
            sp.GetService(typeof(TimeProvider)) as TimeProvider,
            sp.GetService(typeof(ILoggerFactory)) as ILoggerFactory));
    }
}
