namespace Jobs.Server;

internal static partial class JobsHostLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
        Message = "No database configured (ConnectionStrings:Jobs is empty): using the embedded in-memory storage. Jobs are lost when the server stops and other processes cannot enqueue. Set ConnectionStrings__Jobs to a PostgreSQL connection string for production.")]
    public static partial void InMemoryStorage(ILogger logger);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Using PostgreSQL storage (schema {Schema})")]
    public static partial void PostgreSqlStorage(ILogger logger, string schema);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Recurring task {TaskId} registered: {Cron} ({TimeZone}), queue {Queue}")]
    public static partial void TaskRegistered(ILogger logger, string taskId, string cron, string timeZone, string queue);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Recurring task {TaskId} is disabled by configuration; removed from the schedule")]
    public static partial void TaskDisabled(ILogger logger, string taskId);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "Recurring task {TaskId} is switched off: no database is configured for it (set ConnectionStrings:App or ConnectionStrings:Jobs)")]
    public static partial void TaskWithoutDatabase(ILogger logger, string taskId);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Information, Message = "Job assembly {Assembly} {Version} loaded from {Path}")]
    public static partial void JobAssemblyLoaded(ILogger logger, string assembly, string version, string path);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Warning, Message = "Recurring tasks could not be registered yet (is the job storage reachable?): {Reason}. Trying again in {Delay}")]
    public static partial void TaskRegistrationFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Warning, Message = "The job storage is unreachable: {Reason} The dashboard answers 503 and /health/ready reports it until the storage is back")]
    public static partial void StorageUnreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 9009, Level = LogLevel.Information, Message = "The job storage is reachable again")]
    public static partial void StorageReachable(ILogger logger);
}
