using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Runs <c>VACUUM (ANALYZE)</c> on each configured table of the application database (on the 1st of each month at
/// 03:00 by default), one statement per table outside any transaction, as VACUUM requires. A table that cannot be
/// vacuumed (missing, or skipped by PostgreSQL with a warning, e.g. for lack of ownership) does not stop the others;
/// after all were tried the run fails naming each such table, so nothing is skipped silently.
/// </summary>
[RecurringTask(Id, "0 3 1 * *")]
public sealed class DatabaseMaintenanceTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "database-maintenance";

    private readonly DatabaseMaintenanceOptions _options;
    private readonly ILogger<DatabaseMaintenanceTask> _logger;

    public DatabaseMaintenanceTask(IOptions<DatabaseMaintenanceOptions> options, ILogger<DatabaseMaintenanceTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Vacuums and analyzes every configured table; returns the tables done.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">At least one table could not be vacuumed; the message names each and lists those done.</exception>
    public async Task<DatabaseMaintenanceResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var done = new List<string>();
        var failures = new List<string>();
        var warnings = new List<string>();

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        // PostgreSQL does not fail a VACUUM it cannot do on a table it may not touch: it warns and skips the table.
        connection.Notice += (_, e) =>
        {
            if (e.Notice.InvariantSeverity == "WARNING")
            {
                warnings.Add(e.Notice.MessageText);
            }
        };

        foreach (var table in _options.Tables.Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            warnings.Clear();

            // No transaction: VACUUM cannot run inside a transaction block. A big table may take long, so no
            // command timeout; the job's own token (shutdown, [JobTimeout], deletion) cancels it.
            await using var command = new NpgsqlCommand($"VACUUM (ANALYZE) {SqlIdentifier.Quote(table)}", connection) { CommandTimeout = 0 };
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable)
            {
                failures.Add($"table '{table}' does not exist");
                Log.MaintenanceTableFailed(_logger, table, ex.MessageText);
                continue;
            }
            catch (PostgresException ex) when (connection.State == ConnectionState.Open)
            {
                // An error of this table only (the connection survived it): try the others, report it at the end.
                failures.Add($"table '{table}': {ex.MessageText}");
                Log.MaintenanceTableFailed(_logger, table, ex.MessageText);
                continue;
            }

            if (warnings.Count > 0)
            {
                var warning = string.Join("; ", warnings);
                failures.Add($"table '{table}' was skipped: {warning}");
                Log.MaintenanceTableFailed(_logger, table, warning);
                continue;
            }

            done.Add(table);
            Log.TableVacuumed(_logger, table);
        }

        if (failures.Count > 0)
        {
            var doneList = done.Count == 0 ? "none" : string.Join(", ", done);
            throw new InvalidOperationException(
                $"VACUUM (ANALYZE) failed for {failures.Count} of {failures.Count + done.Count} table(s): {string.Join("; ", failures)}. " +
                $"Check '{DatabaseMaintenanceOptions.SectionName}:Tables'. Done: {doneList}.");
        }

        return new DatabaseMaintenanceResult(done);
    }
}
