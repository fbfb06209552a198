using Microsoft.Extensions.Logging;

namespace Jobs;

/// <summary>
/// What a running job may know about itself and write to its log, shown on the job's dashboard page (live while it runs).
/// Declare a parameter of this type on the job method and pass <c>null</c> when enqueuing; the worker passes the job's own:
/// <code>
/// public async Task ImportAsync(string file, PerformContext context, CancellationToken cancellationToken)
/// {
///     context.WriteLine($"Reading {file}");
/// }
/// jobs.Enqueue&lt;Importer&gt;(x => x.ImportAsync("a.csv", null!, CancellationToken.None));
/// </code>
/// Anything the job logs through an <see cref="ILogger"/> while it runs lands in the same log
/// (see <see cref="JobLogOptions"/>). Writing is cheap: lines are buffered and stored in batches.
/// </summary>
public abstract class PerformContext
{
    /// <summary>The id of the job being performed.</summary>
    public abstract string JobId { get; }

    /// <summary>Fires on shutdown, timeout or deletion of the job (the token a <see cref="System.Threading.CancellationToken"/> parameter receives).</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Writes an <see cref="LogLevel.Information"/> line to the job's log.</summary>
    public void WriteLine(string message) => WriteLine(LogLevel.Information, message);

    /// <summary>Writes a line of the given level to the job's log.</summary>
    public abstract void WriteLine(LogLevel level, string message);
}
