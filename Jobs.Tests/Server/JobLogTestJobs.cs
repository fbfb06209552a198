using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Server;

/// <summary>Jobs that write to their logs, through an injected <see cref="ILogger{T}"/> or through <see cref="PerformContext"/>.</summary>
public sealed class JobLogTestJob(ILogger<JobLogTestJob> logger, ServerProbe probe)
{
    public void LogThroughLogger(string name)
    {
        logger.LogInformation("Importing {Name}", name);
        logger.LogDebug("Debug details nobody keeps");
        logger.LogWarning("Row {Row} skipped", 7);
        logger.LogError(new InvalidOperationException("disk full"), "Writing {Name} failed", name);
    }

    public void WriteThroughContext(int count, PerformContext context)
    {
        probe.Events.Enqueue(context.JobId);
        for (var i = 1; i <= count; i++)
        {
            context.WriteLine($"line {i}");
        }

        context.WriteLine(LogLevel.Warning, "done");
    }

    /// <summary>Writes a line, then waits for the probe's gate, then writes another.</summary>
    public async Task WriteAndWaitAsync(PerformContext context, CancellationToken cancellationToken)
    {
        context.WriteLine("started");
        probe.Started.Release();
        await probe.Gate.Task.WaitAsync(cancellationToken);
        context.WriteLine("finished");
    }

    /// <summary>Interleaves its lines with another job's: both run at once and yield between lines.</summary>
    public async Task WriteTaggedAsync(string tag, int count, PerformContext context)
    {
        probe.Started.Release();
        await probe.Gate.Task;
        for (var i = 0; i < count; i++)
        {
            context.WriteLine($"{tag} {i}");
            logger.LogInformation("{Tag} logged {Index}", tag, i);
            await Task.Yield();
        }
    }
}
