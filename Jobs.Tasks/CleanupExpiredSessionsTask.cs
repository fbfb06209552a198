using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Deletes the application's sessions whose expiry has passed (hourly by default). Works in batches of
/// <see cref="CleanupExpiredSessionsOptions.BatchSize"/> rows, each its own short statement, so a large
/// backlog never holds one long transaction. Safe to run twice at once: each batch locks the rows it takes
/// with <c>SKIP LOCKED</c>, so concurrent runs split the work instead of waiting on or repeating each other.
/// </summary>
[RecurringTask(Id, "0 * * * *")]
public sealed class CleanupExpiredSessionsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-expired-sessions";

    private const string UndefinedTable = "42P01";
    private const string UndefinedColumn = "42703";

    private readonly CleanupExpiredSessionsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CleanupExpiredSessionsTask> _logger;

    public CleanupExpiredSessionsTask(
        IOptions<CleanupExpiredSessionsOptions> options,
        TimeProvider timeProvider,
        ILogger<CleanupExpiredSessionsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deletes every session that expired before now; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or column does not exist.</exception>
    public async Task<CleanupExpiredSessionsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var table = SqlIdentifier.Quote(_options.TableName);
        var column = SqlIdentifier.Quote(_options.ExpiresAtColumn);
        var expiredBefore = _timeProvider.GetUtcNow();

        // ctid addresses the rows without knowing the table's key; the rows stay locked by this statement
        // between choosing and deleting them, so their ctid cannot change underneath it.
        var sql = $"""
            DELETE FROM {table}
            WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM {table}
                WHERE {column} < @expired_before
                LIMIT @batch_size
                FOR UPDATE SKIP LOCKED))
            """;

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("expired_before", expiredBefore);
        command.Parameters.AddWithValue("batch_size", _options.BatchSize);

        long total = 0;
        var batches = 0;
        try
        {
            await command.PrepareAsync(cancellationToken);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
                if (deleted == 0)
                {
                    break;
                }

                total += deleted;
                batches++;
                Log.BatchDeleted(_logger, deleted, _options.TableName, total);

                // A short batch means nothing expired is left, or a concurrent run holds the rest and deletes it.
                if (deleted < _options.BatchSize)
                {
                    break;
                }
            }
        }
        catch (PostgresException ex) when (ex.SqlState is UndefinedTable or UndefinedColumn)
        {
            throw new InvalidOperationException(
                $"Cannot clean up sessions: {ex.MessageText}. Check '{CleanupExpiredSessionsOptions.SectionName}:TableName' " +
                $"('{_options.TableName}') and ':ExpiresAtColumn' ('{_options.ExpiresAtColumn}'), or create the table with Jobs.Tasks/Sql/app-schema.sql.",
                ex);
        }

        Log.Finished(_logger, total, _options.TableName, expiredBefore);
        return new CleanupExpiredSessionsResult(total, batches, expiredBefore);
    }
}
