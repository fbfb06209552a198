using System.Globalization;
using Jobs.Tasks.Mail;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>
/// Writes the alert e-mails: the subject here, the plain-text and HTML bodies from the Handlebars templates in
/// <c>Alerts/Templates</c>. Everything that comes from a job is HTML-escaped in the HTML body and inserted literally.
/// </summary>
internal sealed class AlertEmailComposer
{
    /// <summary>A digest lists at most this many failures, then says how many more there were.</summary>
    public const int MaxDigestEntries = 50;

    private const string TemplatePrefix = "Jobs.Server.Alerts.Templates.";

    private static readonly MailTemplate FailureTemplate = Template("failure");
    private static readonly MailTemplate DigestTemplate = Template("digest");
    private static readonly MailTemplate RecoveredTemplate = Template("recovered");
    private static readonly MailTemplate TestTemplate = Template("test");

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
        var model = new
        {
            Title = subject,
            Intro = $"Job {alert.JobId} of {alert.Task} failed after {Attempts(alert.Attempts)} and will not be retried.",
            Fields = fields.Select(f => new { f.Name, Label = (f.Name + ":").PadRight(11), f.Value, IsLink = f.Name == "Job" }).ToList(),
            Link = link,
            alert.ExceptionDetails,
        };
        return Render(FailureTemplate, subject, model);
    }

    public EmailMessage Digest(string task, DateTimeOffset windowStart, DateTimeOffset windowEnd, IReadOnlyList<DigestFailure> failures, int total)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var subject = $"[Jobs] {total} more failure{(total == 1 ? string.Empty : "s")} of {task}";
        var model = new
        {
            Title = subject,
            Intro = $"{task} failed {total} more time{(total == 1 ? string.Empty : "s")} between {Time(windowStart)} and {Time(windowEnd)}, after the alert that opened this window. These jobs will not be retried.",
            Failures = failures.Select(f => new
            {
                FailedAt = Time(f.FailedAt),
                f.JobId,
                f.ExceptionType,
                f.ExceptionMessage,
                ServerId = f.ServerId ?? "unknown",
                Link = JobLink(f.JobId),
            }).ToList(),
            More = total > failures.Count ? $"… and {total - failures.Count} more." : null,
        };
        return Render(DigestTemplate, subject, model);
    }

    public EmailMessage Recovered(string task, string jobId, DateTimeOffset succeededAt)
    {
        var subject = $"[Jobs] Recovered: {task}";
        var model = new
        {
            Title = subject,
            Intro = $"{task} succeeded again at {Time(succeededAt)} (job {jobId}) after failing.",
            Link = JobLink(jobId),
        };
        return Render(RecoveredTemplate, subject, model);
    }

    public EmailMessage Test(string serverName, DateTimeOffset now)
    {
        var options = _options.CurrentValue;
        var subject = "[Jobs] Test e-mail";
        var model = new
        {
            Title = subject,
            Intro = $"This is a test e-mail from the Jobs server {serverName}, sent at {Time(now)}. Alert e-mails about failed jobs will reach you this way.",
            Settings = $"SMTP {options.Host}:{options.Port} ({options.TlsMode}), from {options.From}, window {options.Window}, dashboard {options.DashboardBaseUrl}",
        };
        return Render(TestTemplate, subject, model);
    }

    private static EmailMessage Render(MailTemplate template, string subject, object model) =>
        new(subject, template.RenderText(model), template.RenderHtml(model));

    private static MailTemplate Template(string name) =>
        MailTemplate.FromResources(typeof(AlertEmailComposer).Assembly, TemplatePrefix + name);

    private static string Attempts(int attempts) =>
        attempts == 1 ? "1 attempt" : $"{attempts.ToString(CultureInfo.InvariantCulture)} attempts";

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
