using System.Globalization;
using Jobs.Dashboard.Html;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Dashboard.Pages;

/// <summary>
/// The "Log" section of a job's page: the lines the job wrote (time, level, message). While the job is Processing,
/// <c>dashboard.js</c> tails <c>api/jobs/{id}/log?after=N</c> and appends new lines, and reloads the page when the job
/// leaves Processing.
/// </summary>
internal static class JobLogSection
{
    /// <summary>Lines the page shows at most; a live tail reads on from the last one.</summary>
    public const int MaxShownLines = 5_000;

    /// <summary>How often the page asks for new lines while the job runs.</summary>
    public const int PollMilliseconds = 1_500;

    public static async Task WriteAsync(HtmlWriter html, DashboardContext context, JobSummary job)
    {
        var lines = await context.Monitoring.GetJobLogAsync(job.Id, 0, MaxShownLines, context.Aborted);
        var live = job.StateName == ProcessingState.StateName;
        if (lines.Count == 0 && !live)
        {
            return;
        }

        var after = lines.Count == 0 ? 0 : lines[^1].Sequence;
        html.Append($"""
            <h2>Log</h2>
            <div class="job-log" data-job-log data-log-url="{context.Url("/api/jobs/" + Uri.EscapeDataString(job.Id) + "/log")}" data-after="{after.ToString(CultureInfo.InvariantCulture)}" data-state="{job.StateName}" data-poll-ms="{PollMilliseconds.ToString(CultureInfo.InvariantCulture)}">
            <div class="log-scroll"><table class="log"><thead><tr><th>Time</th><th>Level</th><th>Message</th></tr></thead><tbody>
            """);
        foreach (var line in lines)
        {
            var level = line.Level.ToString();
            html.Append($"<tr class=\"log-{level}\"><td class=\"log-time\">{Time(line.Time)}</td><td class=\"log-level\">{level}</td><td class=\"log-message\">{line.Message}</td></tr>");
        }

        html.Append($"</tbody></table></div>");
        var status = live
            ? "The job is running: new lines appear as it writes them."
            : lines.Count == MaxShownLines ? $"Showing the first {Format.Number(MaxShownLines)} lines." : string.Empty;
        html.Append($"<p class=\"muted\" data-log-status>{status}</p></div>");
    }

    /// <summary>UTC, to the millisecond: lines of one job are often close together.</summary>
    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
