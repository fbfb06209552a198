using Jobs.Dashboard.Html;
using Jobs.States;
using Jobs.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Pages;

/// <summary>The jobs of one state (and the retries), a page at a time.</summary>
internal static class JobListPage
{
    public static async Task StateAsync(DashboardContext context, string stateName, string path)
    {
        if (!PageRequest.TryParse(context.Http.Request.Query, context.Options.DefaultPageSize, out var page, out var error))
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad page request", error);
            return;
        }

        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var queue = stateName == EnqueuedState.StateName ? context.Http.Request.Query["queue"].ToString() : string.Empty;
        var jobs = queue.Length > 0
            ? await context.Monitoring.GetEnqueuedJobsAsync(queue, page.Skip, page.Size, context.Aborted)
            : await context.Monitoring.GetJobsAsync(stateName, page.Skip, page.Size, context.Aborted);
        var total = stateName switch
        {
            EnqueuedState.StateName => statistics.Enqueued,
            ScheduledState.StateName => statistics.Scheduled,
            AwaitingState.StateName => statistics.Awaiting,
            ProcessingState.StateName => statistics.Processing,
            SucceededState.StateName => statistics.Succeeded,
            FailedState.StateName => statistics.Failed,
            DeletedState.StateName => statistics.Deleted,
            _ => 0,
        };
        if (queue.Length > 0)
        {
            total = page.Skip + jobs.Count + (jobs.Count == page.Size ? 1 : 0);
        }

        var body = new HtmlWriter();
        body.Append($"<h1>{stateName} jobs{(queue.Length > 0 ? " in queue " + queue : string.Empty)}</h1>");
        var extra = queue.Length > 0 ? "&queue=" + Uri.EscapeDataString(queue) : string.Empty;
        JobTable.Write(body, context, jobs, stateName, ReturnUrl(context));
        Pager.Write(body, context, path, page, total, extra);
        await DashboardLayout.WriteAsync(context, stateName, body, statistics);
    }

    public static async Task RetriesAsync(DashboardContext context)
    {
        if (!PageRequest.TryParse(context.Http.Request.Query, context.Options.DefaultPageSize, out var page, out var error))
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad page request", error);
            return;
        }

        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var jobs = await context.Monitoring.GetRetriesAsync(page.Skip, page.Size, context.Aborted);
        var body = new HtmlWriter();
        body.Append($"<h1>Retries</h1><p class=\"muted\">Jobs that failed and wait for their next attempt.</p>");
        JobTable.Write(body, context, jobs, ScheduledState.StateName, ReturnUrl(context));
        Pager.Write(body, context, "/retries", page, statistics.Retries);
        await DashboardLayout.WriteAsync(context, "Retries", body, statistics);
    }

    public static string ReturnUrl(DashboardContext context) => context.Http.Request.Path + context.Http.Request.QueryString;
}
