using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Marks the application's credentials inactive that nobody used for <see cref="DeactivateInactiveCredentialsOptions.InactiveMonths"/>
/// (on the 1st of each month at 05:00 by default); a credential never used counts from its creation. Rows already
/// inactive are left alone. Works in batches, each its own short statement; safe to run twice at once, as each
/// batch locks the rows it takes with <c>SKIP LOCKED</c>.
/// </summary>
[RecurringTask(Id, "0 5 1 * *")]
public sealed class DeactivateInactiveCredentialsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "deactivate-inactive-credentials";

    private readonly DeactivateInactiveCredentialsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeactivateInactiveCredentialsTask> _logger;

    public DeactivateInactiveCredentialsTask(
        IOptions<DeactivateInactiveCredentialsOptions> options,
        TimeProvider timeProvider,
        ILogger<DeactivateInactiveCredentialsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deactivates every active credential unused since the cut-off; returns how many.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or a column does not exist.</exception>
    public async Task<DeactivateInactiveCredentialsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var table = SqlIdentifier.Quote(_options.TableName);
        var active = SqlIdentifier.Quote(_options.ActiveColumn);
        var lastUsedAt = SqlIdentifier.Quote(_options.LastUsedAtColumn);
        var createdAt = SqlIdentifier.Quote(_options.CreatedAtColumn);
        var stampDeactivation = string.IsNullOrEmpty(_options.DeactivatedAtColumn)
            ? ""
            : $", {SqlIdentifier.Quote(_options.DeactivatedAtColumn)} = @now";
        var now = _timeProvider.GetUtcNow();
        var unusedSince = now.AddMonths(-_options.InactiveMonths);

        // The WHERE clause matches the partial expression index of app-schema.sql. The rows stay locked by this
        // statement between choosing and updating them; once updated they are inactive and no batch takes them again.
        var sql = $"""
            UPDATE {table} SET {active} = false{stampDeactivation}
            WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM {table}
                WHERE {active} AND COALESCE({lastUsedAt}, {createdAt}) < @unused_since
                LIMIT @batch_size
                FOR UPDATE SKIP LOCKED))
            """;

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("unused_since", unusedSince);
        command.Parameters.AddWithValue("batch_size", _options.BatchSize);
        if (stampDeactivation.Length > 0)
        {
            command.Parameters.AddWithValue("now", now);
        }

        (long Rows, int Batches) done;
        try
        {
            done = await BatchedCommand.ExecuteUntilDoneAsync(
                command,
                _options.BatchSize,
                (rows, total) => Log.CredentialBatchDeactivated(_logger, rows, _options.TableName, total),
                cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            throw new InvalidOperationException(
                $"Cannot deactivate inactive credentials: {ex.MessageText}. Check '{DeactivateInactiveCredentialsOptions.SectionName}:TableName' " +
                $"('{_options.TableName}'), ':ActiveColumn' ('{_options.ActiveColumn}'), ':LastUsedAtColumn' ('{_options.LastUsedAtColumn}'), " +
                $"':CreatedAtColumn' ('{_options.CreatedAtColumn}') and ':DeactivatedAtColumn' ('{_options.DeactivatedAtColumn}'), " +
                "or create the table with Jobs.Tasks/Sql/app-schema.sql.",
                ex);
        }

        Log.CredentialsDeactivated(_logger, done.Rows, _options.TableName, unusedSince);
        return new DeactivateInactiveCredentialsResult(done.Rows, done.Batches, unusedSince);
    }
}
