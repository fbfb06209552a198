using Microsoft.Extensions.Logging;

namespace Jobs.Tasks;

/// <summary>Log messages of the application database maintenance tasks; event ids 5010–5029.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Archived {Count} audit row(s) from {Table} to {Archive} ({Total} so far)")]
    public static partial void AuditBatchArchived(ILogger logger, int count, string table, string archive, long total);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Archived {Total} audit row(s) from {Table} to {Archive} created before {CreatedBefore:O}")]
    public static partial void AuditLogsArchived(ILogger logger, long total, string table, string archive, DateTimeOffset createdBefore);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information,
        Message = "Daily statistics of {Day} ({TimeZone}): {NewUsers} new user(s), {SessionsCreated} session(s), {AuditEvents} audit event(s), {Errors} error(s)")]
    public static partial void DailyStatsAggregated(ILogger logger, DateOnly day, string timeZone, long newUsers, long sessionsCreated, long auditEvents, long errors);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Deleted {Count} error log row(s) from {Table} ({Total} so far)")]
    public static partial void ErrorLogBatchDeleted(ILogger logger, int count, string table, long total);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Information, Message = "Deleted {Total} error log row(s) from {Table} logged before {LoggedBefore:O}")]
    public static partial void ErrorLogsDeleted(ILogger logger, long total, string table, DateTimeOffset loggedBefore);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Debug, Message = "Deactivated {Count} credential(s) in {Table} ({Total} so far)")]
    public static partial void CredentialBatchDeactivated(ILogger logger, int count, string table, long total);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Information, Message = "Deactivated {Total} credential(s) in {Table} unused since {UnusedSince:O}")]
    public static partial void CredentialsDeactivated(ILogger logger, long total, string table, DateTimeOffset unusedSince);

    [LoggerMessage(EventId = 5017, Level = LogLevel.Debug, Message = "Deleted {Count} stale queue item(s) from {Table} ({Total} so far)")]
    public static partial void QueueItemBatchDeleted(ILogger logger, int count, string table, long total);

    [LoggerMessage(EventId = 5018, Level = LogLevel.Information, Message = "Deleted {Total} queue item(s) from {Table} stuck in {Statuses} since before {UnchangedSince:O}")]
    public static partial void StaleQueueItemsDeleted(ILogger logger, long total, string table, string statuses, DateTimeOffset unchangedSince);

    [LoggerMessage(EventId = 5019, Level = LogLevel.Information, Message = "Vacuumed and analyzed {Table}")]
    public static partial void TableVacuumed(ILogger logger, string table);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Error, Message = "Could not vacuum {Table}: {Reason}")]
    public static partial void MaintenanceTableFailed(ILogger logger, string table, string reason);
}
