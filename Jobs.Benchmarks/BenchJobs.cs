using System.Globalization;

namespace Jobs.Benchmarks;

/// <summary>The jobs the benchmarks run: no-ops, and a pickup probe that reports when it started.</summary>
public sealed class BenchJobs
{
    private static readonly Lock ReportLock = new();

    /// <summary>Does nothing: the drain measures the engine, not the job.</summary>
    public void Noop()
    {
    }

    /// <summary>The shape of the jobs loaded for the read-side benchmark (never performed).</summary>
    public void Work(int number, string customer)
    {
        _ = number;
        _ = customer;
    }

    /// <summary>Reports, on standard output, its id and the moment it started (UTC ticks) next to the enqueue moment the client passed.</summary>
    public void Pickup(int sequence, long enqueuedTicks)
    {
        var started = DateTime.UtcNow.Ticks;
        lock (ReportLock)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PICKUP {sequence} {enqueuedTicks} {started}"));
            Console.Out.Flush();
        }
    }
}
