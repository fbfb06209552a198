using Jobs.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>
/// A session-level advisory lock held on its own connection until disposed; if the process dies, the
/// connection ends and PostgreSQL releases the lock. Waiting polls <c>pg_try_advisory_lock</c>.
/// </summary>
internal sealed class PostgreSqlDistributedLock : IAsyncDisposable
{
    private const string TryLockSql = "SELECT pg_try_advisory_lock(hashtextextended(@key, 0))";
    private const string UnlockSql = "SELECT pg_advisory_unlock(hashtextextended(@key, 0))";

    private readonly NpgsqlConnection _connection;
    private readonly string _key;
    private readonly string _resource;
    private readonly ILogger _logger;
    private int _disposed;

    private PostgreSqlDistributedLock(NpgsqlConnection connection, string key, string resource, ILogger logger)
    {
        _connection = connection;
        _key = key;
        _resource = resource;
        _logger = logger;
    }

    public static async Task<IAsyncDisposable> AcquireAsync(
        NpgsqlDataSource dataSource,
        string schemaName,
        string resource,
        TimeSpan timeout,
        TimeSpan pollInterval,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        // Locks are per schema: two storages in different schemas never block each other.
        var key = schemaName + ":" + resource;
        var started = timeProvider.GetTimestamp();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(TryLockSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>("key", key));
            while (true)
            {
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    return new PostgreSqlDistributedLock(connection, key, resource, logger);
                }

                var remaining = timeout - timeProvider.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new DistributedLockTimeoutException(resource, timeout);
                }

                await Task.Delay(remaining < pollInterval ? remaining : pollInterval, timeProvider, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand(UnlockSql, _connection);
            command.Parameters.Add(new NpgsqlParameter<string>("key", _key));
            await command.ExecuteScalarAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // The connection is gone or broken: the lock went with it (or goes when it closes below).
            Log.LockReleaseFailed(_logger, ex, _resource);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
