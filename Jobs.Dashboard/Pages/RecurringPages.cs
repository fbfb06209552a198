using System.Globalization;
using Jobs.Dashboard.Html;
using Jobs.States;
using Jobs.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Pages;

/// <summary>The recurring jobs list and one recurring job's page with its recent runs and statistics.</summary>
internal static class RecurringPages
{
    private const int RecentRuns = 50;

    public static async Task ListAsync(DashboardContext context)
    {
        var now = context.Time.GetUtcNow();
        var recurring = await context.Monitoring.GetRecurringJobsAsync(context.Aborted);
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var body = new HtmlWriter();
        body.Append($"<h1>Recurring jobs</h1>");
        if (recurring.Count == 0)
        {
            body.Append($"<p class=\"muted\">No recurring jobs.</p>");
        }
        else
        {
            body.Append($"<div class=\"table-wrap\"><table><thead><tr><th>Id</th><th>Schedule</th><th class=\"hide-narrow\">Job</th><th>Next run</th><th>Last run</th><th>Last state</th>");
            if (context.CanAct)
            {
                body.Append($"<th></th>");
            }

            body.Append($"</tr></thead><tbody>");
            foreach (var job in recurring)
            {
                body.Append($"""
                    <tr><td><a href="{context.Url("/recurring/" + Uri.EscapeDataString(job.Id))}">{job.Id}</a>{(job.Paused ? new RawHtml(" <span class=\"state\">paused</span>") : RawHtml.Empty)}</td>
                    <td>{CronDescription.Describe(job.Cron)}<div class="muted"><code>{job.Cron}</code> {job.TimeZoneId}</div></td>
                    <td class="hide-narrow">{job.Invocation.DisplayName}</td>
                    <td>{(job.Paused ? new RawHtml("—") : Format.TimeTag(job.NextExecution, now))}</td>
                    <td>{Format.TimeTag(job.LastExecution, now)}</td>
                    <td>{LastState(context, job)}</td>
                    """);
                if (context.CanAct)
                {
                    body.Append($"<td>");
                    Actions(body, context, job, context.Url("/recurring"));
                    body.Append($"</td>");
                }

                body.Append($"</tr>");
            }

            body.Append($"</tbody></table></div>");
        }

        await DashboardLayout.WriteAsync(context, "Recurring jobs", body, statistics);
    }

    public static async Task DetailAsync(DashboardContext context, string id)
    {
        if (!JobIds.IsWellFormedRecurringId(id))
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad recurring job id", $"'{id}' is not a valid recurring job id.");
            return;
        }

        var job = await context.Storage.GetRecurringJobAsync(id, context.Aborted);
        if (job is null)
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status404NotFound, "Recurring job not found", $"There is no recurring job '{id}'.");
            return;
        }

        var now = context.Time.GetUtcNow();
        var runs = await context.Monitoring.GetRecurringJobRunsAsync(id, RecentRuns, context.Aborted);
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var body = new HtmlWriter();
        body.Append($"<h1>Recurring job {job.Id}{(job.Paused ? new RawHtml(" <span class=\"state\">paused</span>") : RawHtml.Empty)}</h1>");
        if (context.CanAct)
        {
            body.Append($"<div class=\"toolbar\">");
            Actions(body, context, job, context.Url("/recurring/" + Uri.EscapeDataString(job.Id)));
            body.Append($"</div>");
        }

        body.Append($"""
            <dl class="props">
            <dt>Schedule</dt><dd>{CronDescription.Describe(job.Cron)} (<code>{job.Cron}</code>)</dd>
            <dt>Time zone</dt><dd>{job.TimeZoneId}</dd>
            <dt>Job</dt><dd>{job.Invocation.Type}.{job.Invocation.Method}</dd>
            <dt>Arguments</dt><dd><pre>{job.Invocation.Arguments}</pre></dd>
            <dt>Queue</dt><dd>{job.Queue}</dd>
            <dt>Next run</dt><dd>{(job.Paused ? new RawHtml("paused") : Format.TimeTag(job.NextExecution, now))}</dd>
            <dt>Last run</dt><dd>{Format.TimeTag(job.LastExecution, now)} {LastState(context, job)}</dd>
            <dt>Misfire</dt><dd>{job.Misfire}</dd>
            <dt>Overlap</dt><dd>{(job.AllowOverlap ? "allowed" : "skipped while a run is unfinished")}</dd>
            """);
        if (job.LastSkipReason is not null)
        {
            body.Append($"<dt>Last skipped</dt><dd>{Format.TimeTag(job.LastSkippedAt, now)}: {job.LastSkipReason}</dd>");
        }

        body.Append($"</dl>");
        if (context.CanAct)
        {
            body.Append($"""
                <h2>Edit schedule</h2>
                <form method="post" action="{context.Url("/actions/recurring/reschedule")}" class="toolbar">
                <input type="hidden" name="{context.AntiforgeryFieldName}" value="{context.AntiforgeryToken}">
                <input type="hidden" name="id" value="{job.Id}">
                <input type="hidden" name="returnUrl" value="{context.Url("/recurring/" + Uri.EscapeDataString(job.Id))}">
                <label>Cron <input type="text" name="cron" value="{job.Cron}" required></label>
                <label>Time zone <input type="text" name="timeZone" value="{job.TimeZoneId}"></label>
                <button type="submit" class="primary">Save schedule</button></form>
                """);
        }

        WriteRunStatistics(body, runs);
        body.Append($"<h2>Recent runs</h2>");
        WriteRuns(body, context, runs, now);
        await DashboardLayout.WriteAsync(context, "Recurring " + job.Id, body, statistics);
    }

    private static void WriteRunStatistics(HtmlWriter html, IReadOnlyList<JobSummary> runs)
    {
        var finished = runs.Where(r => r.StateName is SucceededState.StateName or FailedState.StateName).ToArray();
        var durations = runs.Select(Duration).OfType<TimeSpan>().ToArray();
        html.Append($"<h2>Statistics of the last {runs.Count} runs</h2><dl class=\"props\">");
        if (finished.Length > 0)
        {
            var succeeded = finished.Count(r => r.StateName == SucceededState.StateName);
            html.Append($"<dt>Success rate</dt><dd>{succeeded * 100.0 / finished.Length:0.#}% ({succeeded} of {finished.Length} finished)</dd>");
        }
        else
        {
            html.Append($"<dt>Success rate</dt><dd>—</dd>");
        }

        if (durations.Length > 0)
        {
            html.Append($"<dt>Average duration</dt><dd>{Format.Duration(TimeSpan.FromTicks((long)durations.Average(d => d.Ticks)))}</dd><dt>Max duration</dt><dd>{Format.Duration(durations.Max())}</dd>");
        }
        else
        {
            html.Append($"<dt>Duration</dt><dd>—</dd>");
        }

        html.Append($"</dl>");
    }

    private static void WriteRuns(HtmlWriter html, DashboardContext context, IReadOnlyList<JobSummary> runs, DateTimeOffset now)
    {
        if (runs.Count == 0)
        {
            html.Append($"<p class=\"muted\">No runs yet.</p>");
            return;
        }

        html.Append($"<div class=\"table-wrap\"><table><thead><tr><th>Job</th><th>State</th><th>When</th><th>Duration</th><th>Error</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            var duration = Duration(run);
            var error = run.StateName == FailedState.StateName && run.StateData.TryGetValue("ExceptionMessage", out var message) ? message : null;
            html.Append($"<tr><td><a href=\"{context.Url("/job/" + Uri.EscapeDataString(run.Id))}\">#{run.Id}</a></td><td><span class=\"state state-{run.StateName}\">{run.StateName}</span></td><td>{Format.TimeTag(run.StateChangedAt, now)}</td><td>{(duration is null ? "—" : Format.Duration(duration.Value))}</td><td>{error}</td></tr>");
        }

        html.Append($"</tbody></table></div>");
    }

    private static TimeSpan? Duration(JobSummary run) =>
        run.StateData.TryGetValue("PerformanceDuration", out var ms) && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? TimeSpan.FromMilliseconds(value)
            : null;

    private static RawHtml LastState(DashboardContext context, RecurringJobRecord job)
    {
        if (job.LastJobId is null)
        {
            return new RawHtml("—");
        }

        var state = HtmlWriter.Encode(job.LastJobState ?? "unknown");
        return new RawHtml($"<a href=\"{HtmlWriter.Encode(context.Url("/job/" + Uri.EscapeDataString(job.LastJobId)))}\"><span class=\"state state-{state}\">{state}</span></a>");
    }

    private static void Actions(HtmlWriter html, DashboardContext context, RecurringJobRecord job, string returnUrl)
    {
        Button(html, context, "/actions/recurring/trigger", job.Id, returnUrl, "Trigger now", "primary", null);
        if (job.Paused)
        {
            Button(html, context, "/actions/recurring/resume", job.Id, returnUrl, "Resume", string.Empty, null);
        }
        else
        {
            Button(html, context, "/actions/recurring/pause", job.Id, returnUrl, "Pause", string.Empty, null);
        }

        Button(html, context, "/actions/recurring/remove", job.Id, context.Url("/recurring"), "Remove", "danger", $"Remove recurring job {job.Id}?");
    }

    private static void Button(HtmlWriter html, DashboardContext context, string action, string id, string returnUrl, string label, string css, string? confirm) =>
        html.Append($"""
            <form class="inline" method="post" action="{context.Url(action)}"{(confirm is null ? RawHtml.Empty : new RawHtml(" data-confirm=\"" + HtmlWriter.Encode(confirm) + "\""))}>
            <input type="hidden" name="{context.AntiforgeryFieldName}" value="{context.AntiforgeryToken}">
            <input type="hidden" name="id" value="{id}"><input type="hidden" name="returnUrl" value="{returnUrl}">
            <button type="submit" class="{css}">{label}</button></form>
            """);
}
