using Jobs.Dashboard.Html;
using Jobs.Storage;

namespace Jobs.Dashboard.Pages;

/// <summary>Counters per state, the live graph and the hourly and daily history.</summary>
internal static class OverviewPage
{
    /// <summary>Polls the live graph shows, newest on the right; older ones scroll off.</summary>
    private const int LivePoints = 60;

    public static async Task RenderAsync(DashboardContext context)
    {
        var now = context.Time.GetUtcNow();
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var hourly = await context.Monitoring.GetHourlyTimelineAsync(now, 24, context.Aborted);
        var daily = await context.Monitoring.GetDailyTimelineAsync(now, 14, context.Aborted);

        var seconds = context.Options.StatsPollingIntervalMs / 1000.0;
        var body = new HtmlWriter();
        body.Append($"<h1>Overview</h1><div class=\"cards\">");
        Card(body, context, "/enqueued", "Enqueued", "enqueued", statistics.Enqueued);
        Card(body, context, "/scheduled", "Scheduled", "scheduled", statistics.Scheduled);
        Card(body, context, "/awaiting", "Awaiting", "awaiting", statistics.Awaiting);
        Card(body, context, "/processing", "Processing", "processing", statistics.Processing);
        Card(body, context, "/succeeded", "Succeeded", "succeeded", statistics.Succeeded);
        Card(body, context, "/failed", "Failed", "failed", statistics.Failed);
        Card(body, context, "/deleted", "Deleted", "deleted", statistics.Deleted);
        Card(body, context, "/retries", "Retries", "retries", statistics.Retries);
        Card(body, context, "/recurring", "Recurring", "recurringJobs", statistics.RecurringJobs);
        Card(body, context, "/servers", "Servers", "servers", statistics.Servers);
        body.Append($"""
            </div>
            <h2>Live</h2>
            <canvas class="chart" data-live-graph data-succeeded="{statistics.Succeeded}" data-failed="{statistics.Failed}" data-points="{LivePoints}" role="img" aria-label="Succeeded and failed jobs per {seconds} seconds over the last {seconds * LivePoints:0.#} seconds"></canvas>
            <p class="legend"><span class="ok">■ succeeded</span> <span class="bad">■ failed</span> per {seconds} s · <span data-live-caption>Counting the jobs that finish from now on.</span></p>
            <h2>Last 24 hours</h2>
            """);
        Bars(body, hourly, "HH:00");
        body.Append($"<h2>Last 14 days</h2>");
        Bars(body, daily, "yyyy-MM-dd");
        await DashboardLayout.WriteAsync(context, "Overview", body, statistics);
    }

    private static void Card(HtmlWriter html, DashboardContext context, string path, string label, string key, long value) =>
        html.Append($"<a class=\"card {key}\" href=\"{context.Url(path)}\">{label}<b data-stat=\"{key}\">{Format.Number(value)}</b></a>");

    private static void Bars(HtmlWriter html, IReadOnlyList<TimelinePoint> points, string format)
    {
        var max = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Succeeded + p.Failed));
        html.Append($"<div class=\"bars\" role=\"img\" aria-label=\"Succeeded and failed jobs\">");
        foreach (var point in points)
        {
            var succeeded = point.Succeeded * 100.0 / max;
            var failed = point.Failed * 100.0 / max;
            html.Append($"<div title=\"{point.Start.ToUniversalTime().ToString(format, System.Globalization.CultureInfo.InvariantCulture)}: {point.Succeeded} succeeded, {point.Failed} failed\"><i data-h=\"{succeeded:0.#}\"></i><i class=\"f\" data-h=\"{failed:0.#}\"></i></div>");
        }

        html.Append($"</div><table class=\"history\"><thead><tr><th>From (UTC)</th><th class=\"num\">Succeeded</th><th class=\"num\">Failed</th></tr></thead><tbody>");
        foreach (var point in points.Reverse().Where(p => p.Succeeded + p.Failed > 0).Take(10))
        {
            html.Append($"<tr><td>{point.Start.ToUniversalTime().ToString(format == "HH:00" ? "yyyy-MM-dd HH:00" : format, System.Globalization.CultureInfo.InvariantCulture)}</td><td class=\"num\">{Format.Number(point.Succeeded)}</td><td class=\"num\">{Format.Number(point.Failed)}</td></tr>");
        }

        html.Append($"</tbody></table>");
    }
}
