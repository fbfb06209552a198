using Microsoft.Extensions.Logging;

namespace Jobs.Metrics;

/// <summary>Log messages of the metrics; event ids 1500–1509.</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Reading the job statistics for the metrics failed; the state and queue gauges report nothing until the next read succeeds")]
    public static partial void StatisticsReadFailed(ILogger logger, Exception exception);
}
