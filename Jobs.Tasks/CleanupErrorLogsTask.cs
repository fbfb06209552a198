using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Deletes the application's error log rows older than <see cref="CleanupErrorLogsOptions.RetentionDays"/>
/// (Sundays at 04:00 by default), in batches of <see cref="CleanupErrorLogsOptions.BatchSize"/> rows, each its
/// own short statement. Safe to run twice at once: each batch locks the rows it takes with <c>SKIP LOCKED</c>.
/// </summary>
[RecurringTask(Id, "0 4 * * 0")]
public sealed class CleanupErrorLogsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-error-logs";

    private readonly CleanupErrorLogsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CleanupErrorLogsTask> _logger;

    public CleanupErrorLogsTask(IOptions<CleanupErrorLogsOptions> options, TimeProvider timeProvider, ILogger<CleanupErrorLogsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deletes every error log row older than the retention; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or column does not exist.</exception>
    public async Task<CleanupErrorLogsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var table = SqlIdentifier.Quote(_options.TableName);
        var column = SqlIdentifier.Quote(_options.CreatedAtColumn);
        var loggedBefore = _timeProvider.GetUtcNow().AddDays(-_options.RetentionDays);

        // ctid addresses the rows without knowing the table's key; they stay locked by this statement between
        // choosing and deleting them, so their ctid cannot change underneath it.
        var sql = $"""
            DELETE FROM {table}
            WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM {table}
                WHERE {column} < @logged_before
                LIMIT @batch_size
                FOR UPDATE SKIP LOCKED))
            """;

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("logged_before", loggedBefore);
        command.Parameters.AddWithValue("batch_size", _options.BatchSize);

        (long Rows, int Batches) done;
        try
        {
            done = await BatchedCommand.ExecuteUntilDoneAsync(
                command,
                _options.BatchSize,
                (rows, total) => Log.ErrorLogBatchDeleted(_logger, rows, _options.TableName, total),
                cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            throw new InvalidOperationException(
                $"Cannot clean up error logs: {ex.MessageText}. Check '{CleanupErrorLogsOptions.SectionName}:TableName' " +
                $"('{_options.TableName}') and ':CreatedAtColumn' ('{_options.CreatedAtColumn}'), or create the table with Jobs.Tasks/Sql/app-schema.sql.",
                ex);
        }

        Log.ErrorLogsDeleted(_logger, done.Rows, _options.TableName, loggedBefore);
        return new CleanupErrorLogsResult(done.Rows, done.Batches, loggedBefore);
    }
}
