namespace Jobs.Storage;

/// <summary>
/// How one task did in a time range: its runs that finished (entered Succeeded or Failed) in the range, those of
/// jobs that have expired since included (see <see cref="IMonitoringApi.GetTaskStatisticsAsync"/>). A task is a job
/// method, split by recurring job: the runs of <c>nightly-report</c> and ad-hoc jobs of the same method are two rows.
/// </summary>
/// <param name="Task">Type and method, such as <c>ReportTask.Build</c>.</param>
/// <param name="RecurringJobId">The recurring job the runs belong to; null for jobs created directly.</param>
/// <param name="Succeeded">Runs that succeeded in the range.</param>
/// <param name="Failed">Runs that failed in the range (after their last retry; retried attempts are Scheduled, not Failed).</param>
/// <param name="AverageDuration">Mean time the method took, over the succeeded runs; null when none succeeded.</param>
/// <param name="MaxDuration">The longest succeeded run; null when none succeeded.</param>
/// <param name="SlowestJobId">The job of <paramref name="MaxDuration"/>; null when none succeeded, or when that job has expired.</param>
public sealed record TaskStatistics(
    string Task,
    string? RecurringJobId,
    long Succeeded,
    long Failed,
    TimeSpan? AverageDuration,
    TimeSpan? MaxDuration,
    string? SlowestJobId)
{
    /// <summary>Succeeded plus failed runs.</summary>
    public long Runs => Succeeded + Failed;

    /// <summary>Succeeded runs as a share of <see cref="Runs"/>, from 0 to 1; 0 when there were none.</summary>
    public double SuccessRate => Runs == 0 ? 0 : (double)Succeeded / Runs;
}
