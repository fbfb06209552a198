namespace Jobs.Tasks;

/// <summary>What one run of <see cref="CleanupStaleQueueItemsTask"/> did; stored with the succeeded job.</summary>
/// <param name="ItemsRemoved">Stuck queue items this run deleted (0 when another run got there first).</param>
/// <param name="Batches">DELETE statements that removed at least one row.</param>
/// <param name="UnchangedSince">The cut-off: items in a waiting status last changed before this instant were removed.</param>
/// <param name="Statuses">The statuses that counted as waiting.</param>
public sealed record CleanupStaleQueueItemsResult(long ItemsRemoved, int Batches, DateTimeOffset UnchangedSince, IReadOnlyList<string> Statuses);
