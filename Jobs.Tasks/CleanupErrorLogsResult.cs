namespace Jobs.Tasks;

/// <summary>What one run of <see cref="CleanupErrorLogsTask"/> did; stored with the succeeded job.</summary>
/// <param name="RowsDeleted">Error log rows removed by this run (0 when another run got there first).</param>
/// <param name="Batches">DELETE statements that removed at least one row.</param>
/// <param name="LoggedBefore">The cut-off: rows logged before this instant were removed.</param>
public sealed record CleanupErrorLogsResult(long RowsDeleted, int Batches, DateTimeOffset LoggedBefore);
