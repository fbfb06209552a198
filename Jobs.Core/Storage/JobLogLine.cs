using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Jobs.Storage;

/// <summary>A stored line of a job's log.</summary>
/// <param name="Sequence">Increases with every line of the job (not necessarily by one); read on with lines after it.</param>
/// <param name="Time">When the job wrote the line.</param>
/// <param name="Level">The line's level (the "more lines dropped" marker is a <see cref="LogLevel.Warning"/>).</param>
/// <param name="Message">The text, already formatted.</param>
public sealed record JobLogLine(long Sequence, DateTimeOffset Time, LogLevel Level, string Message)
{
    /// <summary>The text of the line that stands for the lines a job wrote beyond the cap.</summary>
    public static string DroppedMarker(long dropped) =>
        string.Create(CultureInfo.InvariantCulture, $"… {dropped} more {(dropped == 1 ? "line" : "lines")} dropped (the log of a job keeps at most the first lines it wrote)");
}
