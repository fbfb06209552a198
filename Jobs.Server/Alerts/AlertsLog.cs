namespace Jobs.Server.Alerts;

internal static partial class AlertsLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Job {JobId} of {Task} has finally failed: alert e-mail queued as job {AlertJobId}")]
    public static partial void AlertQueued(ILogger logger, string jobId, string task, string alertJobId);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Job {JobId} of {Task} has finally failed within the alert window ending {WindowEnd:O}: it goes into the digest")]
    public static partial void AlertSuppressed(ILogger logger, string jobId, string task, DateTimeOffset windowEnd);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Error, Message = "Could not queue the alert e-mail about job {JobId} entering {State}")]
    public static partial void AlertNotQueued(ILogger logger, Exception exception, string jobId, string state);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Error, Message = "Alert job {JobId} has finally failed; no alert is sent about an alert job. Check the Alerts:Email settings and the mail server")]
    public static partial void AlertJobFailed(ILogger logger, string jobId);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Warning, Message = "Sending an alert e-mail failed; retry {Attempt} in {Delay}")]
    public static partial void SendRetry(ILogger logger, Exception? exception, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Warning, Message = "The mail server keeps failing: alert e-mails are held for {BreakDuration}; the alert jobs retry later")]
    public static partial void CircuitOpened(ILogger logger, Exception? exception, TimeSpan breakDuration);

    [LoggerMessage(EventId = 9107, Level = LogLevel.Information, Message = "The mail server accepts alert e-mails again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 9108, Level = LogLevel.Information, Message = "Alert e-mail sent: {Subject}")]
    public static partial void Sent(ILogger logger, string subject);

    [LoggerMessage(EventId = 9109, Level = LogLevel.Information, Message = "No failures of {Task} after the first one in its alert window: no digest sent")]
    public static partial void DigestEmpty(ILogger logger, string task);

    [LoggerMessage(EventId = 9110, Level = LogLevel.Information, Message = "Alert e-mails enabled: SMTP {Host}:{Port} ({TlsMode}), {Recipients} recipient(s), window {Window}, queue {Queue}")]
    public static partial void Enabled(ILogger logger, string host, int port, AlertTlsMode tlsMode, int recipients, TimeSpan window, string queue);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Information, Message = "Test e-mail from the dashboard sent to {Recipients} through {Host}:{Port}")]
    public static partial void TestEmailSent(ILogger logger, string recipients, string host, int port);

    [LoggerMessage(EventId = 9112, Level = LogLevel.Warning, Message = "Test e-mail from the dashboard to {Recipients} could not be sent through {Host}:{Port}")]
    public static partial void TestEmailFailed(ILogger logger, Exception exception, string recipients, string host, int port);
}
