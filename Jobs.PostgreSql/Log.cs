using Microsoft.Extensions.Logging;

namespace Jobs.PostgreSql;

/// <summary>Log messages of the PostgreSQL storage; event ids 2000–2099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Applying migration {Version} ({Name}) to schema {Schema}")]
    public static partial void ApplyingMigration(ILogger logger, int version, string name, string schema);

    // Without the stack trace: a database away for a minute logs a dozen of these, and the reason says all there is.
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Transient PostgreSQL failure, retry {Attempt} in {Delay}: {Reason}")]
    public static partial void RetryingAfterTransientFailure(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Notification listener lost its connection; reconnecting in {Delay}")]
    public static partial void ListenerDisconnected(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Notification listener listening on {Channel}")]
    public static partial void ListenerConnected(ILogger logger, string channel);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Releasing distributed lock {Resource} failed; it ends with its connection")]
    public static partial void LockReleaseFailed(ILogger logger, Exception exception, string resource);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Requeued {Count} job(s) of removed server(s) {Servers}")]
    public static partial void RequeuedServerJobs(ILogger logger, int count, string servers);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Could not look for enqueued jobs before waiting; waiting for a notification")]
    public static partial void EnqueuedCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2095, Level = LogLevel.Warning, Message = "Announcing {Count} queue(s) with enqueued jobs failed; servers find the jobs at their next poll")]
    public static partial void AnnounceFailed(ILogger logger, Exception exception, int count);
}
