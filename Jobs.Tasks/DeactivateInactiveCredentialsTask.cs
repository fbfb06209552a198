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
public sealed class DeactivateInactiveCredentialsTask : ConfiguredTask<DeactivateInactiveCredentialsOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "deactivate-inactive-credentials";

    public DeactivateInactiveCredentialsTask(
        IOptions<DeactivateInactiveCredentialsOptions> options,
        TimeProvider timeProvider,
        ILogger<DeactivateInactiveCredentialsTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Deactivates every active credential unused since the cut-off; returns how many.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or a column does not exist.</exception>
    public async Task<DeactivateInactiveCredentialsResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var table = SqlIdentifier.Quote(Options.TableName);
        var active = SqlIdentifier.Quote(Options.ActiveColumn);
        var lastUsedAt = SqlIdentifier.Quote(Options.LastUsedAtColumn);
        var createdAt = SqlIdentifier.Quote(Options.CreatedAtColumn);
        var stampDeactivation = string.IsNullOrEmpty(Options.DeactivatedAtColumn)
            ? ""
            : $", {SqlIdentifier.Quote(Options.DeactivatedAtColumn)} = @now";
        var now = Clock.GetUtcNow();
        var unusedSince = now.AddMonths(-Options.InactiveMonths);

        // The condition matches the partial expression index of app-schema.sql; once updated, rows are inactive and no batch takes them again.
        var sql = $"""
            UPDATE {table} SET {active} = false{stampDeactivation}
            {BatchedCommand.WhereInNextBatch(table, $"{active} AND COALESCE({lastUsedAt}, {createdAt}) < @unused_since")}
            """;

        await using var connection = new NpgsqlConnection(Options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var done = await BatchedCommand.RunAsync(
            connection,
            sql,
            Options.BatchSize,
            parameters =>
            {
                parameters.AddWithValue("unused_since", unusedSince);
                if (stampDeactivation.Length > 0)
                {
                    parameters.AddWithValue("now", now);
                }
            },
            (rows, total) => Log.CredentialBatchDeactivated(Logger, rows, Options.TableName, total),
            ex => MissingTableOrColumn.Explain(
                ex,
                "deactivate inactive credentials",
                DeactivateInactiveCredentialsOptions.SectionName,
                (nameof(Options.TableName), Options.TableName),
                (nameof(Options.ActiveColumn), Options.ActiveColumn),
                (nameof(Options.LastUsedAtColumn), Options.LastUsedAtColumn),
                (nameof(Options.CreatedAtColumn), Options.CreatedAtColumn),
                (nameof(Options.DeactivatedAtColumn), Options.DeactivatedAtColumn)),
            cancellationToken);

        Log.CredentialsDeactivated(Logger, done.Rows, Options.TableName, unusedSince);
        return new DeactivateInactiveCredentialsResult(done.Rows, done.Batches, unusedSince);
    }
}
