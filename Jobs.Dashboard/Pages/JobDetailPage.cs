using System.Globalization;
using Jobs.Dashboard.Html;
using Jobs.States;
using Jobs.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Pages;

/// <summary>One job: method, arguments, queue, state history with durations, exception, result, continuations, and its actions.</summary>
internal static class JobDetailPage
{
    public static async Task RenderAsync(DashboardContext context, string id)
    {
        if (!JobIds.IsWellFormedJobId(id))
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad job id", $"'{id}' is not a valid job id.");
            return;
        }

        var details = await context.Monitoring.GetJobDetailsAsync(id, context.Aborted);
        if (details is null)
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status404NotFound, "Job not found", $"There is no job {id}. It may have expired or been removed.");
            return;
        }

        var now = context.Time.GetUtcNow();
        var job = details.Summary;
        var (call, assembly) = Format.Call(details.Invocation);
        var body = new HtmlWriter();
        body.Append($"<h1>Job #{job.Id} <span class=\"state state-{job.StateName}\">{job.StateName}</span></h1>");
        if (context.CanAct)
        {
            WriteActions(body, context, job);
        }

        body.Append($"""
            <dl class="props">
            <dt>Job</dt><dd>{call}{(assembly is null ? RawHtml.Empty : new RawHtml(" <span class=\"muted\">(" + HtmlWriter.Encode(assembly) + ")</span>"))}</dd>
            <dt>Arguments</dt><dd><pre>{details.Invocation.Arguments}</pre></dd>
            <dt>Queue</dt><dd>{job.Queue}</dd>
            <dt>Created</dt><dd>{Format.TimeTag(job.CreatedAt, now)}</dd>
            <dt>Retries</dt><dd>{job.RetryCount}</dd>
            """);
        if (job.RecurringJobId is not null)
        {
            body.Append($"<dt>Recurring job</dt><dd><a href=\"{context.Url("/recurring/" + Uri.EscapeDataString(job.RecurringJobId))}\">{job.RecurringJobId}</a></dd>");
        }

        if (details.ParentId is not null)
        {
            body.Append($"<dt>Parent</dt><dd><a href=\"{context.Url("/job/" + Uri.EscapeDataString(details.ParentId))}\">#{details.ParentId}</a></dd>");
        }

        if (details.ServerId is not null)
        {
            body.Append($"<dt>Server</dt><dd>{details.ServerId}</dd>");
        }

        if (details.ExpireAt is not null)
        {
            body.Append($"<dt>Expires</dt><dd>{Format.TimeTag(details.ExpireAt, now)}</dd>");
        }

        if (job.StateData.TryGetValue("Result", out var result))
        {
            body.Append($"<dt>Result</dt><dd><pre>{result}</pre></dd>");
        }

        body.Append($"</dl>");

        var failure = details.History.FirstOrDefault(h => h.StateName == FailedState.StateName);
        if (failure is not null)
        {
            // The current failure in full; an earlier one (the job was retried since) folded away.
            var current = job.StateName == FailedState.StateName;
            body.Append($"""
                <h2>{(current ? "Exception" : "Last exception")}</h2>
                <p><b>{Get(failure.Data, "ExceptionType")}</b>: {Get(failure.Data, "ExceptionMessage")}</p>
                <details{(current ? new RawHtml(" open") : RawHtml.Empty)}><summary>Stack trace</summary><pre>{Get(failure.Data, "ExceptionDetails")}</pre></details>
                """);
        }

        if (details.ContinuationIds.Count > 0)
        {
            body.Append($"<h2>Continuations</h2><ul>");
            foreach (var continuation in details.ContinuationIds)
            {
                body.Append($"<li><a href=\"{context.Url("/job/" + Uri.EscapeDataString(continuation))}\">#{continuation}</a></li>");
            }

            body.Append($"</ul>");
        }

        await JobLogSection.WriteAsync(body, context, job);
        WriteHistory(body, details.History, now);
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        await DashboardLayout.WriteAsync(context, "Job " + job.Id, body, statistics);
    }

    private static void WriteActions(HtmlWriter html, DashboardContext context, JobSummary job)
    {
        var returnUrl = context.Url("/job/" + Uri.EscapeDataString(job.Id));
        html.Append($"<div class=\"toolbar\">");
        var requeueLabel = job.StateName == FailedState.StateName ? "Retry" : "Requeue";
        if (job.StateName != ProcessingState.StateName)
        {
            Button(html, context, "/actions/jobs/requeue", job, returnUrl, requeueLabel, "primary", null);
        }

        if (job.StateName is ScheduledState.StateName or AwaitingState.StateName)
        {
            Button(html, context, "/actions/jobs/enqueue", job, returnUrl, "Enqueue now", string.Empty, null);
        }

        if (job.StateName != DeletedState.StateName)
        {
            Button(html, context, "/actions/jobs/delete", job, returnUrl, "Delete", "danger", $"Delete job {job.Id}?");
        }

        html.Append($"</div>");
    }

    private static void Button(HtmlWriter html, DashboardContext context, string action, JobSummary job, string returnUrl, string label, string css, string? confirm)
    {
        html.Append($"""
            <form class="inline" method="post" action="{context.Url(action)}"{(confirm is null ? RawHtml.Empty : new RawHtml(" data-confirm=\"" + HtmlWriter.Encode(confirm) + "\""))}>
            <input type="hidden" name="{context.AntiforgeryFieldName}" value="{context.AntiforgeryToken}">
            <input type="hidden" name="id" value="{job.Id}"><input type="hidden" name="expected" value="{job.StateName}">
            <input type="hidden" name="returnUrl" value="{returnUrl}">
            <button type="submit" class="{css}">{label}</button></form>
            """);
    }

    private static void WriteHistory(HtmlWriter html, IReadOnlyList<StateHistoryEntry> history, DateTimeOffset now)
    {
        html.Append($"<h2>History</h2><div class=\"table-wrap\"><table class=\"states\"><thead><tr><th>State</th><th>When</th><th>Stayed</th><th>Reason</th><th>Data</th></tr></thead><tbody>");
        for (var i = 0; i < history.Count; i++)
        {
            var entry = history[i];
            var until = i == 0 ? now : history[i - 1].CreatedAt; // newest first: the next state is the previous row
            var stayed = i == 0 && entry.StateName is SucceededState.StateName or DeletedState.StateName ? "—" : Format.Duration(until - entry.CreatedAt);
            html.Append($"<tr><td><span class=\"state state-{entry.StateName}\">{entry.StateName}</span></td><td class=\"nowrap\">{Format.Time(entry.CreatedAt)}</td><td class=\"nowrap\">{stayed}</td><td>{entry.Reason}</td><td>");
            foreach (var (key, value) in entry.Data)
            {
                if (key == "ExceptionDetails")
                {
                    continue;
                }

                var shown = key is "PerformanceDuration" or "Latency" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                    ? Format.Duration(TimeSpan.FromMilliseconds(ms))
                    : value;
                html.Append($"<div><span class=\"muted\">{key}:</span> {(shown.Length > 300 ? string.Concat(shown.AsSpan(0, 300), "…") : shown)}</div>");
            }

            html.Append($"</td></tr>");
        }

        html.Append($"</tbody></table></div>");
    }

    private static string? Get(IReadOnlyDictionary<string, string> data, string key) => data.TryGetValue(key, out var value) ? value : null;
}
