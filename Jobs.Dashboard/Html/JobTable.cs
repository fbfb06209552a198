using Jobs.States;
using Jobs.Storage;

namespace Jobs.Dashboard.Html;

/// <summary>A list of jobs as one form: select boxes and bulk buttons for admins, a one-click retry per failed row.</summary>
internal static class JobTable
{
    public static void Write(HtmlWriter html, DashboardContext context, IReadOnlyList<JobSummary> jobs, string? expectedState, string returnUrl)
    {
        if (jobs.Count == 0)
        {
            html.Append($"<p class=\"muted\">No jobs.</p>");
            return;
        }

        var now = context.Time.GetUtcNow();
        var actions = context.CanAct && expectedState is not null;
        if (actions)
        {
            html.Append($"""
                <form method="post" action="{context.Url("/actions/jobs/requeue")}">
                <input type="hidden" name="{context.AntiforgeryFieldName}" value="{context.AntiforgeryToken}">
                <input type="hidden" name="expected" value="{expectedState}">
                <input type="hidden" name="returnUrl" value="{returnUrl}">
                <div class="toolbar"><label><input type="checkbox" data-select-all> Select all</label>
                <button type="submit" class="primary" formaction="{context.Url("/actions/jobs/requeue")}">{RequeueLabel(expectedState!)} selected</button>
                """);
            if (expectedState is ScheduledState.StateName or AwaitingState.StateName)
            {
                html.Append($"<button type=\"submit\" formaction=\"{context.Url("/actions/jobs/enqueue")}\">Enqueue selected now</button>");
            }

            if (expectedState != DeletedState.StateName)
            {
                html.Append($"<button type=\"submit\" class=\"danger\" formaction=\"{context.Url("/actions/jobs/delete")}\">Delete selected</button>");
            }

            html.Append($"</div>");
        }

        html.Append($"<div class=\"table-wrap\"><table class=\"jobs\"><thead><tr>");
        if (actions)
        {
            html.Append($"<th><span class=\"hide-narrow\">Select</span></th>");
        }

        html.Append($"<th>Id</th><th>Job</th><th class=\"hide-narrow\">Queue</th><th>State</th><th>Details</th><th>When</th>");
        if (actions)
        {
            html.Append($"<th></th>");
        }

        html.Append($"</tr></thead><tbody>");
        foreach (var job in jobs)
        {
            html.Append($"<tr>");
            if (actions)
            {
                html.Append($"<td><input type=\"checkbox\" name=\"ids\" value=\"{job.Id}\" aria-label=\"Select job {job.Id}\"></td>");
            }

            html.Append($"""
                <td><a href="{context.Url("/job/" + Uri.EscapeDataString(job.Id))}">#{job.Id}</a></td>
                <td>{job.DisplayName}{(job.RecurringJobId is null ? RawHtml.Empty : new RawHtml(" <span class=\"muted\">(recurring " + HtmlWriter.Encode(job.RecurringJobId) + ")</span>"))}</td>
                <td class="hide-narrow">{job.Queue}</td>
                <td><span class="state state-{job.StateName}">{job.StateName}</span></td>
                <td class="details">{Details(job, now)}</td>
                <td>{Format.TimeTag(job.StateChangedAt, now)}</td>
                """);
            if (actions)
            {
                html.Append($"<td><button type=\"submit\" name=\"id\" value=\"{job.Id}\" formaction=\"{context.Url("/actions/jobs/requeue")}\">{RequeueLabel(expectedState!)}</button></td>");
            }

            html.Append($"</tr>");
        }

        html.Append($"</tbody></table></div>");
        if (actions)
        {
            html.Append($"</form>");
        }
    }

    private static string RequeueLabel(string state) => state switch
    {
        FailedState.StateName => "Retry",
        _ => "Requeue",
    };

    private static RawHtml Details(JobSummary job, DateTimeOffset now)
    {
        var data = job.StateData;
        string? text = job.StateName switch
        {
            FailedState.StateName => Get(data, "ExceptionType") is { } type ? type + ": " + Get(data, "ExceptionMessage") : job.StateReason,
            ScheduledState.StateName when Get(data, "EnqueueAt") is { } at && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var due) =>
                "runs " + Format.Relative(due, now) + (job.RetryCount > 0 ? $" · {job.StateReason}" : string.Empty),
            ProcessingState.StateName => "on " + Get(data, "ServerId"),
            SucceededState.StateName when Get(data, "PerformanceDuration") is { } ms && long.TryParse(ms, out var duration) =>
                "took " + Format.Duration(TimeSpan.FromMilliseconds(duration)),
            AwaitingState.StateName => "after job " + Get(data, "ParentId"),
            _ => job.StateReason,
        };
        if (text is null)
        {
            return RawHtml.Empty;
        }

        if (text.Length > 200)
        {
            text = string.Concat(text.AsSpan(0, 200), "…");
        }

        return new RawHtml(HtmlWriter.Encode(text));
    }

    private static string? Get(IReadOnlyDictionary<string, string> data, string key) => data.TryGetValue(key, out var value) ? value : null;
}
