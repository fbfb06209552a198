namespace Jobs.Storage;

/// <summary>Lines to append to one job's log, oldest first (see <see cref="IJobStorage.AppendJobLogAsync"/>).</summary>
/// <param name="JobId">The job the lines belong to.</param>
/// <param name="Lines">The lines, in the order they were written.</param>
/// <param name="DroppedLines">Lines the writer already dropped (its own cap); counted into the "more lines dropped" marker.</param>
public sealed record JobLogAppend(string JobId, IReadOnlyList<NewJobLogLine> Lines, int DroppedLines = 0);
