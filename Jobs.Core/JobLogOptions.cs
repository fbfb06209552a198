using Microsoft.Extensions.Logging;

namespace Jobs;

/// <summary>
/// How a server keeps the logs its jobs write through <see cref="PerformContext"/> or any <see cref="ILogger"/> while
/// they run (configuration section <c>Jobs:Server:JobLog</c>). Lines are buffered and written in batches, and
/// every line of a job is stored before the job's final state.
/// </summary>
public sealed class JobLogOptions
{
    /// <summary>Lines logged through <see cref="ILogger"/> below this level are not kept (<see cref="PerformContext.WriteLine(string)"/> always is). Default: <see cref="LogLevel.Information"/>.</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    /// <summary>Lines a job keeps; further lines are only counted, in one "more lines dropped" line. Default: 1,000.</summary>
    public int MaxLinesPerJob { get; set; } = 1_000;

    /// <summary>Longer lines are cut to this many characters (ending in "…"). Default: 2,000.</summary>
    public int MaxLineLength { get; set; } = 2_000;

    /// <summary>How long written lines may wait before they are stored (the delay of the dashboard's live view). Default: 250 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>When this many lines are waiting they are stored at once. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MinimumLevel is < LogLevel.Trace or > LogLevel.None)
        {
            throw new ArgumentException($"JobLog:MinimumLevel must be a log level (Trace … None), was {MinimumLevel}.");
        }

        if (MaxLinesPerJob < 1)
        {
            throw new ArgumentException($"JobLog:MaxLinesPerJob must be at least 1, was {MaxLinesPerJob}.");
        }

        if (MaxLineLength < 16)
        {
            throw new ArgumentException($"JobLog:MaxLineLength must be at least 16, was {MaxLineLength}.");
        }

        if (FlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"JobLog:FlushInterval must be positive, was {FlushInterval}.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"JobLog:BatchSize must be at least 1, was {BatchSize}.");
        }
    }
}
