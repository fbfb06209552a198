using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>The server's log messages; event ids 2000–2099.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Server {ServerId} starting with {WorkerCount} workers on queues {Queues}")]
    public static partial void ServerStarting(ILogger logger, string serverId, int workerCount, string queues);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Server {ServerId} stopped; {Requeued} held jobs were requeued")]
    public static partial void ServerStopped(ILogger logger, string serverId, int requeued);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Server {ServerId} could not start against the storage; retrying in {Delay}")]
    public static partial void StartupFailed(ILogger logger, Exception exception, string serverId, TimeSpan delay);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Server {ServerId}: {Count} jobs still running after the shutdown timeout of {Timeout}; canceling them")]
    public static partial void AbortingJobs(ILogger logger, string serverId, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Server {ServerId} could not remove itself from the storage on shutdown; its jobs are requeued by another server's watchdog")]
    public static partial void RemoveServerFailed(ILogger logger, Exception exception, string serverId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Server {ServerId} was no longer registered (timed out?); announcing it again")]
    public static partial void ReAnnouncing(ILogger logger, string serverId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Removed {Count} timed-out servers and requeued their jobs: {ServerIds}")]
    public static partial void ServersTimedOut(ILogger logger, int count, string serverIds);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Background process {Process} failed; retrying in {Delay}")]
    public static partial void ProcessFailed(ILogger logger, Exception exception, string process, TimeSpan delay);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Moved {Count} due scheduled jobs to their queues")]
    public static partial void ScheduledJobsEnqueued(ILogger logger, int count);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Deleted {Count} expired jobs")]
    public static partial void ExpiredJobsDeleted(ILogger logger, int count);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Job {JobId} is no longer held by this server (deleted or requeued); canceling it")]
    public static partial void JobNoLongerHeld(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Fetching jobs failed; retrying in {Delay}")]
    public static partial void FetchFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Storing the outcome of {Count} jobs failed; retrying in {Delay}")]
    public static partial void CompletionFailed(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "Server {ServerId} could not create the background processes registered in DI; it runs without them")]
    public static partial void ProcessResolutionFailed(ILogger logger, Exception exception, string serverId);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Debug, Message = "Job {JobId} ({Method}) started")]
    public static partial void JobStarted(ILogger logger, string jobId, Job method);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Job {JobId} ({Method}) succeeded in {Duration}")]
    public static partial void JobSucceeded(ILogger logger, string jobId, Job method, TimeSpan duration);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Job {JobId} ({Method}) failed")]
    public static partial void JobFailed(ILogger logger, Exception exception, string jobId, Job method);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Warning, Message = "Job {JobId} ({Method}) could not be loaded")]
    public static partial void JobLoadFailed(ILogger logger, Exception exception, string jobId, string method);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Debug, Message = "Job {JobId} changed meanwhile (deleted or requeued); its outcome {State} was not stored")]
    public static partial void OutcomeNotStored(ILogger logger, string jobId, string state);

    [LoggerMessage(EventId = 2025, Level = LogLevel.Information, Message = "Job {JobId} ({Method}) was interrupted ({Reason}); it is left for requeueing")]
    public static partial void JobInterrupted(ILogger logger, string jobId, Job method, JobAbortReason reason);

    [LoggerMessage(EventId = 2026, Level = LogLevel.Error, Message = "Worker failed while handling job {JobId}")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 2027, Level = LogLevel.Information, Message = "Job {JobId} ({Method}) was skipped by server filter {Filter}")]
    public static partial void JobSkipped(ILogger logger, string jobId, Job method, string filter);

    [LoggerMessage(EventId = 2060, Level = LogLevel.Debug, Message = "{Count} job(s) claimed ahead were not started in time and went back to their queues")]
    public static partial void GaveBackUnstartedJobs(ILogger logger, int count);

    [LoggerMessage(EventId = 2061, Level = LogLevel.Warning, Message = "Giving back {Count} job(s) claimed ahead failed; they stay with this server")]
    public static partial void GiveBackFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Error, Message = "Storing {Lines} log lines of {Jobs} jobs failed; those lines are lost")]
    public static partial void JobLogWriteFailed(ILogger logger, Exception exception, int lines, int jobs);
}
