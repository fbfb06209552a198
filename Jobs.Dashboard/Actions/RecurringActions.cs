using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dashboard.Actions;

/// <summary>Trigger now, pause, resume, edit the schedule and remove a recurring job.</summary>
internal static class RecurringActions
{
    public enum Kind
    {
        Trigger,
        Pause,
        Resume,
        Remove,
    }

    public static async Task<ActionOutcome> RunAsync(DashboardContext context, Kind kind, string? id)
    {
        if (!JobIds.IsWellFormedRecurringId(id))
        {
            return ActionOutcome.BadRequest("No valid recurring job id was given: nothing was changed.");
        }

        var manager = context.Http.RequestServices.GetRequiredService<IRecurringJobManager>();
        switch (kind)
        {
            case Kind.Trigger:
                string? jobId;
                try
                {
                    jobId = await manager.TriggerAsync(id!, context.Aborted);
                }
                catch (JobCreationCanceledException ex)
                {
                    return ActionOutcome.Conflict($"Recurring job '{id}' was not triggered: {ex.Message}");
                }

                return jobId is null ? Missing(id!, "triggered") : ActionOutcome.Done($"Recurring job '{id}' triggered: job {jobId} enqueued.");
            case Kind.Pause:
                var current = await context.Storage.GetRecurringJobAsync(id!, context.Aborted);
                if (current is null)
                {
                    return Missing(id!, "paused");
                }

                if (current.Paused)
                {
                    return ActionOutcome.Conflict($"Recurring job '{id}' was not paused: it is already paused.");
                }

                return await manager.PauseAsync(id!, context.Aborted) ? ActionOutcome.Done($"Recurring job '{id}' paused.") : Missing(id!, "paused");
            case Kind.Resume:
                var record = await context.Storage.GetRecurringJobAsync(id!, context.Aborted);
                if (record is null)
                {
                    return Missing(id!, "resumed");
                }

                if (!record.Paused)
                {
                    return ActionOutcome.Conflict($"Recurring job '{id}' was not resumed: it is not paused.");
                }

                return await manager.ResumeAsync(id!, context.Aborted) ? ActionOutcome.Done($"Recurring job '{id}' resumed.") : Missing(id!, "resumed");
            default:
                return await manager.RemoveIfExistsAsync(id!, context.Aborted) ? ActionOutcome.Done($"Recurring job '{id}' removed.") : Missing(id!, "removed");
        }
    }

    /// <summary>Validates the cron expression first (the manager checks the time zone), so the operator reads why an edit was refused.</summary>
    public static async Task<ActionOutcome> RescheduleAsync(DashboardContext context, string? id, string? cron, string? timeZone)
    {
        if (!JobIds.IsWellFormedRecurringId(id))
        {
            return ActionOutcome.BadRequest("No valid recurring job id was given: nothing was changed.");
        }

        cron = cron?.Trim();
        timeZone = string.IsNullOrWhiteSpace(timeZone) ? null : timeZone.Trim();
        if (!CronSchedule.TryParse(cron, out _, out var cronError))
        {
            return ActionOutcome.BadRequest($"The schedule of '{id}' was not changed: '{cron}' is not a valid cron expression ({cronError}).");
        }

        var manager = context.Http.RequestServices.GetRequiredService<IRecurringJobManager>();
        bool changed;
        try
        {
            changed = await manager.RescheduleAsync(id!, cron!, timeZone, context.Aborted);
        }
        catch (ArgumentException ex)
        {
            return ActionOutcome.BadRequest($"The schedule of '{id}' was not changed: {ex.Message}");
        }

        if (!changed)
        {
            return Missing(id!, "rescheduled");
        }

        var record = await context.Storage.GetRecurringJobAsync(id!, context.Aborted);
        return ActionOutcome.Done($"Recurring job '{id}' now runs {CronDescription.Describe(cron!)} ({cron}, {record?.TimeZoneId ?? timeZone ?? "UTC"}).");
    }

    private static ActionOutcome Missing(string id, string verb) => ActionOutcome.NotFound($"Recurring job '{id}' was not {verb}: it does not exist.");
}
