using Jobs.Storage;
using Jobs.Tasks.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>
/// Mails the admins a report of the past week (Mondays at 09:00 UTC by default): per task — each job method,
/// split by recurring job — the runs that finished, how many failed, the success rate and durations, plus
/// the failing and the slowest tasks. The period is the whole UTC days before the day of the run (Monday to
/// Sunday by default), so consecutive reports count every run once. The figures come from the job storage
/// (<see cref="IMonitoringApi.GetTaskStatisticsAsync"/>), which keeps the runs of expired jobs per day, so they are
/// complete whatever the job retention; the e-mail goes out through the host's <see cref="ITaskEmailSender"/>.
/// </summary>
[RecurringTask(Id, "0 9 * * 1")]
public sealed class WeeklyReportTask : ConfiguredTask<WeeklyReportOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "weekly-report";

    private readonly IJobStorage _storage;
    private readonly ITaskEmailSender _sender;

    public WeeklyReportTask(
        IJobStorage storage,
        ITaskEmailSender sender,
        IOptions<WeeklyReportOptions> options,
        TimeProvider timeProvider,
        ILogger<WeeklyReportTask> logger)
        : base(options, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(sender);
        _storage = storage;
        _sender = sender;
    }

    /// <summary>Reads the period's figures and sends the report; returns what it reported.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public async Task<WeeklyReportResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        // Whole UTC days: the storage keeps the runs of expired jobs per UTC day.
        var to = new DateTimeOffset(Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var from = to.AddDays(-Options.Days);
        var tasks = await _storage.Monitoring.GetTaskStatisticsAsync(from, to, cancellationToken);
        var report = new WeeklyReport(from, to, tasks, Options.SlowestTasks);
        var email = new TaskEmail([.. Options.To], report.Subject, report.RenderText(), report.RenderHtml());
        await _sender.SendAsync(email, cancellationToken);
        Log.WeeklyReportSent(Logger, from, to, tasks.Count, report.Runs, report.Failed);
        return new WeeklyReportResult(from, to, tasks.Count, report.Runs, report.Failed, report.Subject);
    }
}
