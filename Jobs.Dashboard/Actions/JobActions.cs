using Jobs.States;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dashboard.Actions;

/// <summary>
/// Requeue (retry), delete and enqueue-now for one or many jobs. Each change is a compare-and-set from the state the
/// operator saw; a job that moved on meanwhile is reported with the state it is in now, never silently skipped.
/// </summary>
internal static class JobActions
{
    public const int MaxJobsPerAction = 500;

    public enum Kind
    {
        Requeue,
        Delete,
        EnqueueNow,
    }

    public static async Task<ActionOutcome> RunAsync(DashboardContext context, Kind kind, IReadOnlyList<string> ids, string? expectedState)
    {
        if (ids.Count == 0)
        {
            return ActionOutcome.BadRequest("No job was selected: nothing was changed.");
        }

        if (ids.Count > MaxJobsPerAction)
        {
            return ActionOutcome.BadRequest($"At most {MaxJobsPerAction} jobs can be changed at once; {ids.Count} were selected. Nothing was changed.");
        }

        var malformed = ids.FirstOrDefault(id => !JobIds.IsWellFormedJobId(id));
        if (malformed is not null)
        {
            return ActionOutcome.BadRequest($"'{Shorten(malformed)}' is not a valid job id: nothing was changed.");
        }

        string? expected = null;
        if (!string.IsNullOrEmpty(expectedState))
        {
            expected = StateNames.Normalize(expectedState);
            if (expected is null)
            {
                return ActionOutcome.BadRequest($"'{Shorten(expectedState)}' is not a job state: nothing was changed.");
            }
        }

        if (kind == Kind.EnqueueNow && expected is not null && expected is not (ScheduledState.StateName or AwaitingState.StateName))
        {
            return ActionOutcome.BadRequest($"Only scheduled or awaiting jobs can be enqueued now, not {expected} jobs: nothing was changed.");
        }

        var (done, problems, notFound) = await ChangeAsync(context, kind, ids, expected);
        var verb = Verb(kind);
        if (ids.Count == 1)
        {
            return done.Count == 1
                ? ActionOutcome.Done($"Job {done[0]} {verb}.")
                : notFound == 1 ? ActionOutcome.NotFound(problems[0]) : ActionOutcome.Conflict(problems[0]);
        }

        var message = $"{done.Count} of {done.Count + problems.Count} jobs {verb}.";
        if (problems.Count > 0)
        {
            message += " " + string.Join(" ", problems.Take(20)) + (problems.Count > 20 ? $" And {problems.Count - 20} more were not changed." : string.Empty);
        }

        return done.Count > 0 ? ActionOutcome.Done(message) : ActionOutcome.Conflict(message);
    }

    /// <summary>
    /// Changes the jobs (well-formed ids, at most <see cref="MaxJobsPerAction"/>) from <paramref name="expected"/> (null:
    /// from the state each is in) and says which changed and why the others did not.
    /// </summary>
    public static async Task<JobBatchResult> ChangeAsync(DashboardContext context, Kind kind, IReadOnlyList<string> ids, string? expected)
    {
        // One read per job for the compare-and-set source, then every change through the state machine in one batch
        // (Hangfire changes bulk selections one job at a time: its issue #1871).
        var done = new List<string>();
        var problems = new List<string>();
        var notFound = 0;
        var requests = new List<StateChangeRequest>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var current = await context.Storage.GetJobAsync(id, context.Aborted);
            var problem = current is null ? "it does not exist." : Refusal(kind, expected ?? current.StateName, current.StateName);
            if (problem is not null)
            {
                problems.Add($"Job {id} was not {Verb(kind)}: {problem}");
                notFound += current is null ? 1 : 0;
                continue;
            }

            requests.Add(new StateChangeRequest(id, current!.Invocation, Load(current), current.StateName, NewState(kind), [current.StateName], current.RetryCount));
        }

        var changer = context.Http.RequestServices.GetRequiredService<BackgroundJobStateChanger>();
        var applied = requests.Count == 0 ? [] : await changer.ChangeStatesAsync(requests, context.Aborted);
        for (var i = 0; i < requests.Count; i++)
        {
            var id = requests[i].JobId;
            if (applied[i])
            {
                done.Add(id);
                continue;
            }

            var now = await context.Storage.GetJobAsync(id, context.Aborted);
            notFound += now is null ? 1 : 0;
            problems.Add(now is null
                ? $"Job {id} was not {Verb(kind)}: it no longer exists."
                : now.StateName != requests[i].CurrentState
                    ? $"Job {id} was not {Verb(kind)}: it is now {now.StateName}."
                    : $"Job {id} was not {Verb(kind)}: a state filter kept it {now.StateName}.");
        }

        return new JobBatchResult(done, problems, notFound);
    }

    /// <summary>Why the job cannot take this action from the state it is in, or null when it can.</summary>
    private static string? Refusal(Kind kind, string expected, string current)
    {
        if (expected != current)
        {
            return $"it is now {current}.";
        }

        if (kind == Kind.Delete && current == DeletedState.StateName)
        {
            return "it is already Deleted.";
        }

        return kind == Kind.EnqueueNow && current is not (ScheduledState.StateName or AwaitingState.StateName)
            ? $"it is {current}, not Scheduled or Awaiting."
            : null;
    }

    private static IState NewState(Kind kind) => kind switch
    {
        Kind.Delete => new DeletedState("Deleted from the dashboard"),
        Kind.EnqueueNow => new EnqueuedState(reason: "Enqueued now from the dashboard"),
        _ => new EnqueuedState(reason: "Requeued from the dashboard"),
    };

    private static Job? Load(Storage.StoredJob stored)
    {
        try
        {
            return stored.Invocation.Deserialize();
        }
        catch (Common.JobLoadException)
        {
            return null; // a job whose code is gone can still be deleted or requeued
        }
    }

    public static string Verb(Kind kind) => kind switch
    {
        Kind.Delete => "deleted",
        Kind.EnqueueNow => "enqueued",
        _ => "requeued",
    };

    private static string Shorten(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 60), "…") : text;
}
