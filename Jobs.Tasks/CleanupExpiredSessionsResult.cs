namespace Jobs.Tasks;

/// <summary>What one run of <see cref="CleanupExpiredSessionsTask"/> did; stored with the succeeded job.</summary>
/// <param name="RowsDeleted">Sessions removed by this run (0 when another run got there first).</param>
/// <param name="Batches">DELETE statements that removed at least one row.</param>
/// <param name="ExpiredBefore">The cut-off: sessions expiring before this instant were removed.</param>
public sealed record CleanupExpiredSessionsResult(long RowsDeleted, int Batches, DateTimeOffset ExpiredBefore);
