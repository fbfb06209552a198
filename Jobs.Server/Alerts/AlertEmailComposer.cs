using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>Writes the alert e-mails: subject, plain text and HTML. Everything that comes from a job is HTML-escaped.</summary>
internal sealed class AlertEmailComposer
{
    /// <summary>A digest lists at most this many failures, then says how many more there were.</summary>
    public const int MaxDigestEntries = 50;

    private readonly IOptionsMonitor<AlertEmailOptions> _options;

    public AlertEmailComposer(IOptionsMonitor<AlertEmailOptions> options)
    {
        _options = options;
    }

    public string JobLink(string jobId) =>
        $"{(_options.CurrentValue.DashboardBaseUrl ?? string.Empty).TrimEnd('/')}/job/{Uri.EscapeDataString(jobId)}";

    public EmailMessage Failure(FailureAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var link = JobLink(alert.JobId);
        var fields = new List<(string Name, string Value)>
        {
            ("Task", alert.RecurringJobId is null ? alert.Task : $"{alert.Task} (recurring job {alert.RecurringJobId})"),
            ("Method", alert.Method),
            ("Queue", alert.Queue),
            ("Arguments", alert.Arguments),
            ("Attempts", alert.Attempts.ToString(CultureInfo.InvariantCulture)),
            ("Exception", alert.ExceptionType),
            ("Message", alert.ExceptionMessage),
            ("Server", alert.ServerId ?? "unknown"),
            ("Failed at", Time(alert.FailedAt)),
            ("Job", link),
        };
        var subject = $"[Jobs] Failed: {alert.Task} (job {alert.JobId})";
        var intro = $"Job {alert.JobId} of {alert.Task} failed after {Attempts(alert.Attempts)} and will not be retried.";

        var text = new StringBuilder();
        text.AppendLine(intro).AppendLine();
        foreach (var (name, value) in fields)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name + ":",-11}{value}").AppendLine();
        }

        text.AppendLine().AppendLine("Stack trace:").AppendLine(alert.ExceptionDetails);

        var html = new StringBuilder();
        BeginHtml(html, subject);
        html.Append("<p>").Append(E(intro)).AppendLine("</p>");
        html.AppendLine("<table cellpadding=\"4\" style=\"border-collapse:collapse\">");
        foreach (var (name, value) in fields)
        {
            var cell = name == "Job" ? $"<a href=\"{E(link)}\">{E(link)}</a>" : E(value);
            html.Append("<tr><th align=\"left\" valign=\"top\">").Append(E(name)).Append("</th><td>").Append(cell).AppendLine("</td></tr>");
        }

        html.AppendLine("</table>");
        html.Append("<p><a href=\"").Append(E(link)).AppendLine("\">Open the job in the dashboard</a></p>");
        html.AppendLine("<h3>Stack trace</h3>");
        html.Append("<pre>").Append(E(alert.ExceptionDetails)).AppendLine("</pre>");
        EndHtml(html);
        return new EmailMessage(subject, text.ToString(), html.ToString());
    }

    public EmailMessage Digest(string task, DateTimeOffset windowStart, DateTimeOffset windowEnd, IReadOnlyList<DigestFailure> failures, int total)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var subject = $"[Jobs] {total} more failure{(total == 1 ? string.Empty : "s")} of {task}";
        var intro = $"{task} failed {total} more time{(total == 1 ? string.Empty : "s")} between {Time(windowStart)} and {Time(windowEnd)}, after the alert that opened this window. These jobs will not be retried.";
        var more = total > failures.Count ? $"… and {total - failures.Count} more." : null;

        var text = new StringBuilder();
        text.AppendLine(intro).AppendLine();
        foreach (var failure in failures)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {Time(failure.FailedAt)}  job {failure.JobId}  {failure.ExceptionType}: {failure.ExceptionMessage}  (server {failure.ServerId ?? "unknown"})").AppendLine();
            text.Append("  ").AppendLine(JobLink(failure.JobId));
        }

        if (more is not null)
        {
            text.AppendLine(more);
        }

        var html = new StringBuilder();
        BeginHtml(html, subject);
        html.Append("<p>").Append(E(intro)).AppendLine("</p>");
        html.AppendLine("<table cellpadding=\"4\" style=\"border-collapse:collapse\">");
        html.AppendLine("<tr><th align=\"left\">Failed at</th><th align=\"left\">Job</th><th align=\"left\">Exception</th><th align=\"left\">Message</th><th align=\"left\">Server</th></tr>");
        foreach (var failure in failures)
        {
            var link = JobLink(failure.JobId);
            html.Append("<tr><td>").Append(E(Time(failure.FailedAt)))
                .Append("</td><td><a href=\"").Append(E(link)).Append("\">").Append(E(failure.JobId)).Append("</a>")
                .Append("</td><td>").Append(E(failure.ExceptionType))
                .Append("</td><td>").Append(E(failure.ExceptionMessage))
                .Append("</td><td>").Append(E(failure.ServerId ?? "unknown")).AppendLine("</td></tr>");
        }

        html.AppendLine("</table>");
        if (more is not null)
        {
            html.Append("<p>").Append(E(more)).AppendLine("</p>");
        }

        EndHtml(html);
        return new EmailMessage(subject, text.ToString(), html.ToString());
    }

    public EmailMessage Recovered(string task, string jobId, DateTimeOffset succeededAt)
    {
        var link = JobLink(jobId);
        var subject = $"[Jobs] Recovered: {task}";
        var intro = $"{task} succeeded again at {Time(succeededAt)} (job {jobId}) after failing.";
        var text = $"{intro}{Environment.NewLine}{Environment.NewLine}Job: {link}{Environment.NewLine}";
        var html = new StringBuilder();
        BeginHtml(html, subject);
        html.Append("<p>").Append(E(intro)).AppendLine("</p>");
        html.Append("<p><a href=\"").Append(E(link)).AppendLine("\">Open the job in the dashboard</a></p>");
        EndHtml(html);
        return new EmailMessage(subject, text, html.ToString());
    }

    public EmailMessage Test(string serverName, DateTimeOffset now)
    {
        var options = _options.CurrentValue;
        var subject = "[Jobs] Test e-mail";
        var intro = $"This is a test e-mail from the Jobs server {serverName}, sent at {Time(now)}. Alert e-mails about failed jobs will reach you this way.";
        var settings = $"SMTP {options.Host}:{options.Port} ({options.TlsMode}), from {options.From}, window {options.Window}, dashboard {options.DashboardBaseUrl}";
        var text = $"{intro}{Environment.NewLine}{Environment.NewLine}{settings}{Environment.NewLine}";
        var html = new StringBuilder();
        BeginHtml(html, subject);
        html.Append("<p>").Append(E(intro)).AppendLine("</p>");
        html.Append("<p>").Append(E(settings)).AppendLine("</p>");
        EndHtml(html);
        return new EmailMessage(subject, text, html.ToString());
    }

    private static string Attempts(int attempts) =>
        attempts == 1 ? "1 attempt" : $"{attempts.ToString(CultureInfo.InvariantCulture)} attempts";

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static void BeginHtml(StringBuilder html, string title) =>
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html><head><meta charset=\"utf-8\"><title>").Append(E(title)).AppendLine("</title></head>")
            .AppendLine("<body style=\"font-family:sans-serif\">");

    private static void EndHtml(StringBuilder html) => html.AppendLine("</body></html>");
}
