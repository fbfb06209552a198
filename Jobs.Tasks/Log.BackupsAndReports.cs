using Microsoft.Extensions.Logging;

namespace Jobs.Tasks;

/// <summary>Log messages of the backup and weekly report tasks; event ids 5050–5069.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5050, Level = LogLevel.Information, Message = "Backing up database {Database} with {PgDump} to {Path}")]
    public static partial void BackupStarting(ILogger logger, string database, string pgDump, string path);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Information, Message = "Backed up database {Database} to {Path} ({Size} bytes); {Deleted} older backup(s) deleted")]
    public static partial void BackupFinished(ILogger logger, string database, string path, long size, int deleted);

    [LoggerMessage(EventId = 5052, Level = LogLevel.Information, Message = "Deleted old backup {Path}")]
    public static partial void OldBackupDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 5053, Level = LogLevel.Warning, Message = "Could not delete old backup {Path}; the next run tries again")]
    public static partial void OldBackupNotDeleted(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 5060, Level = LogLevel.Information, Message = "Weekly report for {From:O} to {To:O} sent: {Tasks} task(s), {Runs} run(s), {Failed} failed")]
    public static partial void WeeklyReportSent(ILogger logger, DateTimeOffset from, DateTimeOffset to, int tasks, long runs, long failed);
}
