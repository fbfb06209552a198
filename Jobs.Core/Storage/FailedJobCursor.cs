namespace Jobs.Storage;

/// <summary>
/// Where a walk through the failed jobs (newest state change first) stopped: the last job read. The next read
/// returns only jobs that come after it, so jobs that fail while the walk goes on (a newer state change) are not met.
/// </summary>
public sealed record FailedJobCursor(DateTimeOffset StateChangedAt, string JobId)
{
    /// <summary>The cursor just past <paramref name="job"/>.</summary>
    public static FailedJobCursor After(JobSummary job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new FailedJobCursor(job.StateChangedAt, job.Id);
    }
}
