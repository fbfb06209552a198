using Jobs.States;
using Jobs.Storage;

namespace Jobs.Server.Alerts;

/// <summary>
/// Sends alert e-mails as jobs of their own queue, so an alert that cannot be sent now stays stored
/// and is retried (by <see cref="AlertJobRetryFilter"/>, with the delays of <c>Alerts:Email</c>) instead
/// of being lost. <c>[AutomaticRetry(Attempts = 0)]</c> switches the global retry off for these jobs.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class AlertEmailJob
{
    private const int DigestPageSize = 200;
    private const int DigestScanLimit = 20_000;

    private readonly AlertMailer _mailer;
    private readonly AlertEmailComposer _composer;
    private readonly IJobStorage _storage;
    private readonly ILogger<AlertEmailJob> _logger;

    public AlertEmailJob(AlertMailer mailer, AlertEmailComposer composer, IJobStorage storage, ILogger<AlertEmailJob> logger)
    {
        _mailer = mailer;
        _composer = composer;
        _storage = storage;
        _logger = logger;
    }

    public async Task SendFailureAsync(FailureAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await SendAsync(_composer.Failure(alert), cancellationToken);
    }

    /// <summary>
    /// At the end of a task's alert window: mails one digest of the task's jobs that failed in the window
    /// after <paramref name="firstJobId"/> (which had its own e-mail), read from the job storage.
    /// </summary>
    public async Task SendDigestAsync(string task, string firstJobId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var failures = new List<DigestFailure>();
        var total = 0;
        for (var skip = 0; skip < DigestScanLimit; skip += DigestPageSize)
        {
            var page = await _storage.Monitoring.GetJobsAsync(FailedState.StateName, skip, DigestPageSize, cancellationToken);
            foreach (var job in page)
            {
                if (job.DisplayName != task || job.Id == firstJobId || job.StateChangedAt < windowStart || job.StateChangedAt >= windowEnd)
                {
                    continue;
                }

                total++;
                if (failures.Count < AlertEmailComposer.MaxDigestEntries)
                {
                    failures.Add(new DigestFailure(
                        job.Id,
                        job.StateChangedAt,
                        job.StateData.GetValueOrDefault("ExceptionType") ?? "unknown",
                        job.StateData.GetValueOrDefault("ExceptionMessage") ?? string.Empty,
                        job.StateData.GetValueOrDefault("ServerId")));
                }
            }

            // Newest state change first: once a page reaches back before the window, the rest is older still.
            if (page.Count < DigestPageSize || page[^1].StateChangedAt < windowStart)
            {
                break;
            }
        }

        if (total == 0)
        {
            AlertsLog.DigestEmpty(_logger, task);
            return;
        }

        failures.Sort((a, b) => a.FailedAt.CompareTo(b.FailedAt));
        await SendAsync(_composer.Digest(task, windowStart, windowEnd, failures, total), cancellationToken);
    }

    public async Task SendRecoveredAsync(string task, string jobId, DateTimeOffset succeededAt, CancellationToken cancellationToken) =>
        await SendAsync(_composer.Recovered(task, jobId, succeededAt), cancellationToken);

    private async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        await _mailer.SendAsync(message, cancellationToken);
        AlertsLog.Sent(_logger, message.Subject);
    }
}
