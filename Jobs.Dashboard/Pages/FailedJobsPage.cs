using System.Globalization;
using Jobs.Dashboard.Actions;
using Jobs.Dashboard.Html;
using Jobs.States;
using Jobs.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Pages;

/// <summary>
/// The failed jobs, narrowed by a bookmarkable filter (<c>?method=&amp;exception=&amp;queue=</c>) that paging keeps, with
/// actions on the selected rows and on every job the filter matches.
/// </summary>
internal static class FailedJobsPage
{
    public static async Task RenderAsync(DashboardContext context)
    {
        var query = context.Http.Request.Query;
        if (!PageRequest.TryParse(query, context.Options.DefaultPageSize, out var page, out var error))
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad page request", error);
            return;
        }

        if (!FailedJobFilterRequest.TryParse(name => query[name], out var filter, out error))
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad filter", error);
            return;
        }

        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var jobs = await context.Monitoring.GetFailedJobsAsync(filter, page.Skip, page.Size, context.Aborted);
        var total = filter.IsEmpty
            ? new LimitedCount(statistics.Failed, false)
            : await context.Monitoring.CountFailedJobsAsync(filter, context.Options.FailedCountLimit, context.Aborted);
        var returnUrl = JobListPage.ReturnUrl(context);
        var what = MatchingFailedJobActions.Describe(filter);

        var body = new HtmlWriter();
        body.Append($"<h1>Failed jobs</h1>");
        WriteFilterForm(body, context, filter);
        if (!filter.IsEmpty)
        {
            if (total.IsLowerBound)
            {
                body.Append($"<p class=\"muted\">More than {Format.Number(total.Value)} failed jobs {what} (counting stops there).</p>");
            }
            else
            {
                body.Append($"<p class=\"muted\">{Format.Number(total.Value)} failed {(total.Value == 1 ? "job" : "jobs")} {what}.</p>");
            }
        }

        if (context.CanAct && total.Value > 0)
        {
            // "10,000+" when the count stopped at its limit: the actions still walk every match.
            var count = total.ToString();
            body.Append($"<div class=\"toolbar\">");
            MatchingButton(body, context, "/actions/failed/requeue", filter, returnUrl, $"Retry all {count} matching", "primary",
                $"Retry all {count} failed jobs {what}? They are requeued and run again.");
            MatchingButton(body, context, "/actions/failed/delete", filter, returnUrl, $"Delete all {count} matching", "danger",
                $"Delete all {count} failed jobs {what}? They will not run again.");
            body.Append($"</div>");
        }

        JobTable.Write(body, context, jobs, FailedState.StateName, returnUrl);
        Pager.Write(body, context, "/failed", page, total, jobs.Count, FailedJobFilterRequest.ToQuery(filter));
        await DashboardLayout.WriteAsync(context, FailedState.StateName, body, statistics);
    }

    private static void WriteFilterForm(HtmlWriter html, DashboardContext context, FailedJobFilter filter)
    {
        html.Append($"""
            <form class="toolbar" method="get" action="{context.Url("/failed")}" role="search" aria-label="Filter failed jobs">
            <label>Method <input type="text" name="{FailedJobFilterRequest.MethodField}" value="{filter.Method}" maxlength="{FailedJobFilter.MaxTextLength.ToString(CultureInfo.InvariantCulture)}" placeholder="ReportTask.Build"></label>
            <label>Exception <input type="text" name="{FailedJobFilterRequest.ExceptionField}" value="{filter.ExceptionType}" maxlength="{FailedJobFilter.MaxTextLength.ToString(CultureInfo.InvariantCulture)}" placeholder="TimeoutException"></label>
            <label>Queue <input type="text" name="{FailedJobFilterRequest.QueueField}" value="{filter.Queue}" maxlength="50" placeholder="default"></label>
            <button type="submit">Filter</button>
            """);
        if (!filter.IsEmpty)
        {
            html.Append($"<a href=\"{context.Url("/failed")}\">Clear filter</a>");
        }

        html.Append($"</form>");
    }

    private static void MatchingButton(HtmlWriter html, DashboardContext context, string action, FailedJobFilter filter, string returnUrl, string label, string css, string confirm) =>
        html.Append($"""
            <form class="inline" method="post" action="{context.Url(action)}" data-confirm="{confirm}">
            <input type="hidden" name="{context.AntiforgeryFieldName}" value="{context.AntiforgeryToken}">
            <input type="hidden" name="{FailedJobFilterRequest.MethodField}" value="{filter.Method}">
            <input type="hidden" name="{FailedJobFilterRequest.ExceptionField}" value="{filter.ExceptionType}">
            <input type="hidden" name="{FailedJobFilterRequest.QueueField}" value="{filter.Queue}">
            <input type="hidden" name="returnUrl" value="{returnUrl}">
            <button type="submit" class="{css}">{label}</button></form>
            """);
}
