namespace Jobs.Tasks;

/// <summary>What one run of <see cref="ArchiveAuditLogsTask"/> did; stored with the succeeded job.</summary>
/// <param name="RowsArchived">Audit rows this run moved to the archive table (0 when another run got there first).</param>
/// <param name="Batches">Move statements (one transaction each) that moved at least one row.</param>
/// <param name="CreatedBefore">The cut-off: rows created before this instant were archived.</param>
public sealed record ArchiveAuditLogsResult(long RowsArchived, int Batches, DateTimeOffset CreatedBefore);
