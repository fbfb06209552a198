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

        var client = context.Http.RequestServices.GetRequiredService<IBackgroundJobClient>();
        var done = new List<string>();
        var problems = new List<string>();
        var notFound = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var (changed, problem, missing) = await ChangeOneAsync(context, client, kind, id, expected);
            if (changed)
            {
                done.Add(id);
            }
            else
            {
                problems.Add(problem!);
                notFound += missing ? 1 : 0;
            }
        }

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

    private static async Task<(bool Changed, string? Problem, bool Missing)> ChangeOneAsync(
        DashboardContext context, IBackgroundJobClient client, Kind kind, string id, string? expected)
    {
        var current = await context.Storage.GetJobAsync(id, context.Aborted);
        if (current is null)
        {
            return (false, $"Job {id} was not {Verb(kind)}: it does not exist.", true);
        }

        var from = expected ?? current.StateName;
        if (from != current.StateName)
        {
            return (false, $"Job {id} was not {Verb(kind)}: it is now {current.StateName}.", false);
        }

        if (kind == Kind.Delete && from == DeletedState.StateName)
        {
            return (false, $"Job {id} was not {Verb(kind)}: it is already Deleted.", false);
        }

        if (kind == Kind.EnqueueNow && from is not (ScheduledState.StateName or AwaitingState.StateName))
        {
            return (false, $"Job {id} was not {Verb(kind)}: it is {from}, not Scheduled or Awaiting.", false);
        }

        IState state = kind switch
        {
            Kind.Delete => new DeletedState("Deleted from the dashboard"),
            Kind.EnqueueNow => new EnqueuedState(reason: "Enqueued now from the dashboard"),
            _ => new EnqueuedState(reason: "Requeued from the dashboard"),
        };
        if (await client.ChangeStateAsync(id, state, from, context.Aborted))
        {
            return (true, null, false);
        }

        var now = await context.Storage.GetJobAsync(id, context.Aborted);
        return now is null
            ? (false, $"Job {id} was not {Verb(kind)}: it no longer exists.", true)
            : now.StateName != from
                ? (false, $"Job {id} was not {Verb(kind)}: it is now {now.StateName}.", false)
                : (false, $"Job {id} was not {Verb(kind)}: a state filter kept it {now.StateName}.", false);
    }

    private static string Verb(Kind kind) => kind switch
    {
        Kind.Delete => "deleted",
        Kind.EnqueueNow => "enqueued",
        _ => "requeued",
    };

    private static string Shorten(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 60), "…") : text;
}
