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

        // The condition matches the partial expression index of app-schema.sql; once updated, rows are inactive and no batch takes them again.
        var sql = $"""
            UPDATE {table} SET {active} = false{stampDeactivation}
            {BatchedCommand.WhereInNextBatch(table, $"{active} AND COALESCE({lastUsedAt}, {createdAt}) < @unused_since")}
            """;

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var done = await BatchedCommand.RunAsync(
            connection,
            sql,
            _options.BatchSize,
            parameters =>
            {
                parameters.AddWithValue("unused_since", unusedSince);
                if (stampDeactivation.Length > 0)
                {
                    parameters.AddWithValue("now", now);
                }
            },
            (rows, total) => Log.CredentialBatchDeactivated(_logger, rows, _options.TableName, total),
            ex => MissingTableOrColumn.Explain(
                ex,
                "deactivate inactive credentials",
                DeactivateInactiveCredentialsOptions.SectionName,
                (nameof(_options.TableName), _options.TableName),
                (nameof(_options.ActiveColumn), _options.ActiveColumn),
                (nameof(_options.LastUsedAtColumn), _options.LastUsedAtColumn),
                (nameof(_options.CreatedAtColumn), _options.CreatedAtColumn),
                (nameof(_options.DeactivatedAtColumn), _options.DeactivatedAtColumn)),
            cancellationToken);

        Log.CredentialsDeactivated(_logger, done.Rows, _options.TableName, unusedSince);
        return new DeactivateInactiveCredentialsResult(done.Rows, done.Batches, unusedSince);
    }
}
