using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Removes items of the application's queue table stuck in a waiting status (<c>pending</c> or <c>processing</c>)
/// for longer than <see cref="CleanupStaleQueueItemsOptions.StaleAfter"/> (daily at 00:30 by default); items in
/// other statuses and recent ones stay. Works in batches, each its own short statement; safe to run twice at once,
/// as each batch locks the rows it takes with <c>SKIP LOCKED</c>.
/// </summary>
[RecurringTask(Id, "30 0 * * *")]
public sealed class CleanupStaleQueueItemsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-stale-queue-items";

    private readonly CleanupStaleQueueItemsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CleanupStaleQueueItemsTask> _logger;

    public CleanupStaleQueueItemsTask(
        IOptions<CleanupStaleQueueItemsOptions> options,
        TimeProvider timeProvider,
        ILogger<CleanupStaleQueueItemsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deletes every item stuck in a waiting status since before the cut-off; returns how many.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or a column does not exist.</exception>
    public async Task<CleanupStaleQueueItemsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var table = SqlIdentifier.Quote(_options.TableName);
        var status = SqlIdentifier.Quote(_options.StatusColumn);
        var updatedAt = SqlIdentifier.Quote(_options.UpdatedAtColumn);
        var statuses = _options.Statuses.ToArray();
        var unchangedSince = _timeProvider.GetUtcNow() - _options.StaleAfter;

        // ctid addresses the rows without knowing the table's key; they stay locked by this statement between
        // choosing and deleting them. A worker holding an item (FOR UPDATE) keeps it out of this batch.
        var sql = $"""
            DELETE FROM {table}
            WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM {table}
                WHERE {status} = ANY (@statuses) AND {updatedAt} < @unchanged_since
                LIMIT @batch_size
                FOR UPDATE SKIP LOCKED))
            """;

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("statuses", statuses);
        command.Parameters.AddWithValue("unchanged_since", unchangedSince);
        command.Parameters.AddWithValue("batch_size", _options.BatchSize);

        (long Rows, int Batches) done;
        try
        {
            done = await BatchedCommand.ExecuteUntilDoneAsync(
                command,
                _options.BatchSize,
                (rows, total) => Log.QueueItemBatchDeleted(_logger, rows, _options.TableName, total),
                cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedFunction)
        {
            throw new InvalidOperationException(
                $"Cannot clean up stale queue items: {ex.MessageText}. '{CleanupStaleQueueItemsOptions.SectionName}:StatusColumn' " +
                $"('{_options.StatusColumn}') must be a text or varchar column compared with the configured statuses.",
                ex);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            throw new InvalidOperationException(
                $"Cannot clean up stale queue items: {ex.MessageText}. Check '{CleanupStaleQueueItemsOptions.SectionName}:TableName' " +
                $"('{_options.TableName}'), ':StatusColumn' ('{_options.StatusColumn}') and ':UpdatedAtColumn' ('{_options.UpdatedAtColumn}'), " +
                "or create the table with Jobs.Tasks/Sql/app-schema.sql.",
                ex);
        }

        Log.StaleQueueItemsDeleted(_logger, done.Rows, _options.TableName, string.Join(", ", statuses), unchangedSince);
        return new CleanupStaleQueueItemsResult(done.Rows, done.Batches, unchangedSince, statuses);
    }
}
