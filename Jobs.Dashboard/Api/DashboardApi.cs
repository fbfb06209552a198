using System.Globalization;
using Jobs.Dashboard.Actions;
using Jobs.States;
using Jobs.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Api;

/// <summary>The JSON API: what the pages show, and the same actions with the same authorization and antiforgery.</summary>
internal static class DashboardApi
{
    /// <summary>Lines one read of a job's log returns at most; <c>more</c> tells the reader to ask again at once.</summary>
    public const int MaxLogLinesPerRead = 1_000;

    public static async Task<IResult> StatsAsync(DashboardContext context)
    {
        var s = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        return Results.Json(new
        {
            enqueued = s.Enqueued,
            scheduled = s.Scheduled,
            awaiting = s.Awaiting,
            processing = s.Processing,
            succeeded = s.Succeeded,
            failed = s.Failed,
            deleted = s.Deleted,
            retries = s.Retries,
            servers = s.Servers,
            recurringJobs = s.RecurringJobs,
            queues = s.Queues,
        });
    }

    public static async Task<IResult> StatusAsync(DashboardContext context)
    {
        var now = context.Time.GetUtcNow();
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var hourly = await context.Monitoring.GetHourlyTimelineAsync(now, 24, context.Aborted);
        var daily = await context.Monitoring.GetDailyTimelineAsync(now, 14, context.Aborted);
        return Results.Json(new { statistics, hourly, daily, canAct = context.CanAct });
    }

    public static async Task<IResult> JobsAsync(DashboardContext context)
    {
        var stateText = context.Http.Request.Query["state"].ToString();
        var state = StateNames.Normalize(stateText);
        var retries = string.Equals(stateText, "retries", StringComparison.OrdinalIgnoreCase);
        if (state is null && !retries)
        {
            return Problem(StatusCodes.Status400BadRequest, $"'{stateText}' is not a job state: use one of {string.Join(", ", StateNames.All)} or retries.");
        }

        if (!PageRequest.TryParse(context.Http.Request.Query, context.Options.DefaultPageSize, out var page, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, error);
        }

        if (state == FailedState.StateName)
        {
            if (!FailedJobFilterRequest.TryParse(name => context.Http.Request.Query[name], out var filter, out error))
            {
                return Problem(StatusCodes.Status400BadRequest, error);
            }

            var failed = await context.Monitoring.GetFailedJobsAsync(filter, page.Skip, page.Size, context.Aborted);
            var total = filter.IsEmpty
                ? new LimitedCount((await context.Monitoring.GetStatisticsAsync(context.Aborted)).Failed, false)
                : await context.Monitoring.CountFailedJobsAsync(filter, context.Options.FailedCountLimit, context.Aborted);
            return Results.Json(new { page = page.Page, size = page.Size, total = total.Value, totalIsLowerBound = total.IsLowerBound, jobs = failed });
        }

        var jobs = retries
            ? await context.Monitoring.GetRetriesAsync(page.Skip, page.Size, context.Aborted)
            : await context.Monitoring.GetJobsAsync(state!, page.Skip, page.Size, context.Aborted);
        return Results.Json(new { page = page.Page, size = page.Size, jobs });
    }

    public static async Task<IResult> JobAsync(DashboardContext context, string id)
    {
        if (!JobIds.IsWellFormedJobId(id))
        {
            return Problem(StatusCodes.Status400BadRequest, $"'{id}' is not a valid job id.");
        }

        var details = await context.Monitoring.GetJobDetailsAsync(id, context.Aborted);
        return details is null ? Problem(StatusCodes.Status404NotFound, $"There is no job {id}.") : Results.Json(details);
    }

    /// <summary>Lines of a job's log after <c>?after=N</c> (0 or absent: from the start), and the job's state, for a live tail.</summary>
    public static async Task<IResult> JobLogAsync(DashboardContext context, string id)
    {
        if (!JobIds.IsWellFormedJobId(id))
        {
            return Problem(StatusCodes.Status400BadRequest, $"'{id}' is not a valid job id.");
        }

        var afterText = context.Http.Request.Query["after"];
        long after = 0;
        if (afterText.Count > 1
            || (afterText.Count == 1 && !long.TryParse(afterText[0], NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            return Problem(
                StatusCodes.Status400BadRequest,
                $"'{afterText}' is not a valid 'after': give the sequence number of the last line read (a whole number, 0 or more), or leave it out to read from the start.");
        }

        // The state is read first: when it says Processing, lines written before the job ended come with a later poll.
        var job = await context.Storage.GetJobAsync(id, context.Aborted);
        if (job is null)
        {
            return Problem(StatusCodes.Status404NotFound, $"There is no job {id}.");
        }

        var lines = await context.Monitoring.GetJobLogAsync(id, after, MaxLogLinesPerRead, context.Aborted);
        return Results.Json(new
        {
            jobId = job.Id,
            state = job.StateName,
            last = lines.Count == 0 ? after : lines[^1].Sequence,
            more = lines.Count == MaxLogLinesPerRead,
            lines = lines.Select(l => new
            {
                sequence = l.Sequence,
                time = l.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                level = l.Level.ToString(),
                message = l.Message,
            }),
        });
    }

    public static async Task<IResult> RecurringAsync(DashboardContext context) =>
        Results.Json(await context.Monitoring.GetRecurringJobsAsync(context.Aborted));

    public static async Task<IResult> RecurringJobAsync(DashboardContext context, string id)
    {
        if (!JobIds.IsWellFormedRecurringId(id))
        {
            return Problem(StatusCodes.Status400BadRequest, $"'{id}' is not a valid recurring job id.");
        }

        var record = await context.Storage.GetRecurringJobAsync(id, context.Aborted);
        if (record is null)
        {
            return Problem(StatusCodes.Status404NotFound, $"There is no recurring job '{id}'.");
        }

        var runs = await context.Monitoring.GetRecurringJobRunsAsync(id, 50, context.Aborted);
        return Results.Json(new { recurringJob = record, description = CronDescription.Describe(record.Cron), runs });
    }

    public static async Task<IResult> ServersAsync(DashboardContext context) =>
        Results.Json(await context.Monitoring.GetServersAsync(context.Aborted));

    public static async Task<IResult> QueuesAsync(DashboardContext context) =>
        Results.Json(await context.Monitoring.GetQueuesAsync(5, context.Aborted));

    public static async Task<IResult> SearchAsync(DashboardContext context)
    {
        var query = context.Http.Request.Query["q"].ToString().Trim();
        if (query.Length is 0 or > Pages.SearchPage.MaxQueryLength)
        {
            return Problem(StatusCodes.Status400BadRequest, $"Give ?q= with 1 to {Pages.SearchPage.MaxQueryLength} characters.");
        }

        IReadOnlyList<JobSummary> jobs = await context.Monitoring.SearchJobsAsync(query, Pages.SearchPage.MaxResults, context.Aborted);
        return Results.Json(jobs);
    }

    public static IResult Outcome(ActionOutcome outcome) =>
        Results.Json(new { changed = outcome.Changed, message = outcome.Message }, statusCode: outcome.StatusCode);

    public static IResult Problem(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
