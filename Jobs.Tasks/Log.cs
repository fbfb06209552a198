using Microsoft.Extensions.Logging;

namespace Jobs.Tasks;

/// <summary>Log messages of the task library; event ids 5000–5099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "Deleted {Count} expired session(s) from {Table} ({Total} so far)")]
    public static partial void BatchDeleted(ILogger logger, int count, string table, long total);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Deleted {Total} session(s) from {Table} that expired before {ExpiredBefore:O}")]
    public static partial void Finished(ILogger logger, long total, string table, DateTimeOffset expiredBefore);
}
