using System.Globalization;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Dashboard.Actions;

/// <summary>
/// Retry or delete every failed job that matches a filter, across all pages, in batches of
/// <see cref="JobActions.MaxJobsPerAction"/>. The jobs are walked newest state change first by keyset, so a job that
/// fails (again) while the action runs comes before the walk's position and is not met: the action always ends.
/// Each change is a compare-and-set from Failed; a job that moved on meanwhile is counted, not forced.
/// </summary>
internal static class MatchingFailedJobActions
{
    public static async Task<ActionOutcome> RunAsync(DashboardContext context, JobActions.Kind kind, FailedJobFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (kind == JobActions.Kind.EnqueueNow)
        {
            return ActionOutcome.BadRequest("Failed jobs can be retried or deleted, not enqueued now: nothing was changed.");
        }

        var changed = 0L;
        var moved = 0L;
        FailedJobCursor? after = null;
        while (true)
        {
            var batch = await context.Monitoring.GetFailedJobsAfterAsync(filter, after, JobActions.MaxJobsPerAction, context.Aborted);
            if (batch.Count == 0)
            {
                break;
            }

            after = FailedJobCursor.After(batch[^1]);
            var result = await JobActions.ChangeAsync(context, kind, batch.Select(j => j.Id).ToArray(), FailedState.StateName);
            changed += result.Done.Count;
            moved += result.Problems.Count;
            if (batch.Count < JobActions.MaxJobsPerAction)
            {
                break;
            }
        }

        var verb = kind == JobActions.Kind.Delete ? "Deleted" : "Requeued";
        var message = $"{verb} {Number(changed)} failed {JobOrJobs(changed)} {Describe(filter)}"
            + (moved > 0 ? $"; {Number(moved)} had changed state meanwhile and {(moved == 1 ? "was" : "were")} left as {(moved == 1 ? "it was" : "they were")}." : ".");
        return changed > 0 ? ActionOutcome.Done(message) : new ActionOutcome(false, message);
    }

    /// <summary>The filter in words, for messages and buttons: "matching method 'Report', exception 'Timeout'".</summary>
    public static string Describe(FailedJobFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.IsEmpty)
        {
            return "(all failed jobs, no filter)";
        }

        var parts = new List<string>();
        if (filter.Method is not null)
        {
            parts.Add($"method '{filter.Method}'");
        }

        if (filter.ExceptionType is not null)
        {
            parts.Add($"exception '{filter.ExceptionType}'");
        }

        if (filter.Queue is not null)
        {
            parts.Add($"queue '{filter.Queue}'");
        }

        return "matching " + string.Join(", ", parts);
    }

    private static string JobOrJobs(long count) => count == 1 ? "job" : "jobs";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
