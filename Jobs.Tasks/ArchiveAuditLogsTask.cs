using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Moves the application's audit rows older than <see cref="ArchiveAuditLogsOptions.RetentionDays"/> into the
/// archive table (daily at 02:00 by default). Each batch deletes its rows and inserts them into the archive in one
/// statement, hence one transaction: a row is never in both tables, nor in neither. Safe to run twice at once: each
/// batch locks the rows it takes with <c>SKIP LOCKED</c>, so concurrent runs split the work.
/// </summary>
[RecurringTask(Id, "0 2 * * *")]
public sealed class ArchiveAuditLogsTask : ConfiguredTask<ArchiveAuditLogsOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "archive-audit-logs";

    private const string ColumnsSql = """
        SELECT attname, attgenerated <> '' FROM pg_attribute
        WHERE attrelid = to_regclass(@table) AND attnum > 0 AND NOT attisdropped
        ORDER BY attnum
        """;

    public ArchiveAuditLogsTask(IOptions<ArchiveAuditLogsOptions> options, TimeProvider timeProvider, ILogger<ArchiveAuditLogsTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Archives every audit row older than the retention; returns how many were moved.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">
    /// A table or the column does not exist, the archive lacks a column of the audit table, or a row is already archived.
    /// </exception>
    public async Task<ArchiveAuditLogsResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var table = SqlIdentifier.Quote(Options.TableName);
        var archive = SqlIdentifier.Quote(Options.ArchiveTableName);
        var createdBefore = Clock.GetUtcNow().AddDays(-Options.RetentionDays);

        await using var connection = new NpgsqlConnection(Options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var columns = await FindColumnsToMoveAsync(connection, table, archive, cancellationToken);
        var columnList = string.Join(", ", columns.Select(SqlIdentifier.QuoteCatalogName));

        // Delete and insert are one statement, so they commit or fail together. OVERRIDING SYSTEM VALUE keeps the original
        // ids if the archive's id is an identity.
        var sql = $"""
            WITH moved AS (
                DELETE FROM {table}
                {BatchedCommand.WhereInNextBatch(table, $"{SqlIdentifier.Quote(Options.CreatedAtColumn)} < @created_before")}
                RETURNING {columnList})
            INSERT INTO {archive} ({columnList}) OVERRIDING SYSTEM VALUE
            SELECT {columnList} FROM moved
            """;

        var done = await BatchedCommand.RunAsync(
            connection,
            sql,
            Options.BatchSize,
            parameters => parameters.AddWithValue("created_before", createdBefore),
            (rows, total) => Log.AuditBatchArchived(Logger, rows, Options.TableName, Options.ArchiveTableName, total),
            ex => ex.SqlState is PostgresErrorCodes.UniqueViolation
                ? new InvalidOperationException(
                    $"Cannot archive audit logs: {ex.MessageText} ({ex.Detail}). A row of '{Options.TableName}' is already in " +
                    $"'{Options.ArchiveTableName}'; the batch was rolled back, so it is still in '{Options.TableName}'. Remove one of the two copies.",
                    ex)
                : null,
            cancellationToken);

        Log.AuditLogsArchived(Logger, done.Rows, Options.TableName, Options.ArchiveTableName, createdBefore);
        return new ArchiveAuditLogsResult(done.Rows, done.Batches, createdBefore);
    }

    /// <summary>
    /// The audit table's columns, checked against the configuration and the archive up front, so a mistake is named
    /// plainly instead of surfacing as an SQL error half-way.
    /// </summary>
    private async Task<List<string>> FindColumnsToMoveAsync(NpgsqlConnection connection, string table, string archive, CancellationToken cancellationToken)
    {
        var source = await ReadColumnsAsync(connection, table, cancellationToken);
        if (source.Count == 0)
        {
            throw MissingTable(nameof(ArchiveAuditLogsOptions.TableName), Options.TableName);
        }

        var target = await ReadColumnsAsync(connection, archive, cancellationToken);
        if (target.Count == 0)
        {
            throw MissingTable(nameof(ArchiveAuditLogsOptions.ArchiveTableName), Options.ArchiveTableName);
        }

        if (!source.Exists(c => c.Name == Options.CreatedAtColumn))
        {
            throw new InvalidOperationException(
                $"Cannot archive audit logs: table '{Options.TableName}' has no column '{Options.CreatedAtColumn}'. " +
                $"Check '{ArchiveAuditLogsOptions.SectionName}:{nameof(ArchiveAuditLogsOptions.CreatedAtColumn)}'.");
        }

        var archiveGenerated = target.ToDictionary(c => c.Name, c => c.Generated, StringComparer.Ordinal);
        var lacking = source.Where(c => !archiveGenerated.ContainsKey(c.Name)).Select(c => "'" + c.Name + "'").ToList();
        if (lacking.Count > 0)
        {
            throw new InvalidOperationException(
                $"Cannot archive audit logs: archive table '{Options.ArchiveTableName}' lacks column(s) {string.Join(", ", lacking)} " +
                $"of '{Options.TableName}', so archiving would lose data. Add them to the archive table.");
        }

        // A generated column of the archive computes its own value and cannot be written.
        return source.Where(c => !archiveGenerated[c.Name]).Select(c => c.Name).ToList();
    }

    private InvalidOperationException MissingTable(string key, string name) =>
        new($"Cannot archive audit logs: table '{name}' does not exist. Check '{ArchiveAuditLogsOptions.SectionName}:{key}', " +
            "or create the table with Jobs.Tasks/Sql/app-schema.sql.");

    /// <summary>The table's columns in table order, each with whether it is generated; empty when the table does not exist.</summary>
    private static async Task<List<(string Name, bool Generated)>> ReadColumnsAsync(NpgsqlConnection connection, string quotedTable, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ColumnsSql, connection);
        command.Parameters.AddWithValue("table", quotedTable);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<(string Name, bool Generated)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return columns;
    }
}
