using Microsoft.Extensions.Logging;

namespace Jobs.Storage;

/// <summary>A line a running job wrote to its log, not yet stored.</summary>
public sealed record NewJobLogLine(DateTimeOffset Time, LogLevel Level, string Message);
