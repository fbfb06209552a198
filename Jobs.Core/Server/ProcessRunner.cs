using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>Runs an <see cref="IBackgroundProcess"/> until the server stops, restarting it after a growing delay when it throws or returns early.</summary>
internal static class ProcessRunner
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(IBackgroundProcess process, BackgroundProcessContext context, TimeSpan firstDelay, ILogger logger)
    {
        var stopping = context.StoppingToken;
        var delay = firstDelay;
        while (!stopping.IsCancellationRequested)
        {
            var started = context.Time.GetTimestamp();
            try
            {
                await process.ExecuteAsync(context);
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                ServerLog.ProcessFailed(logger, new InvalidOperationException($"Background process {process.Name} returned before the server stopped."), process.Name, delay);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ServerLog.ProcessFailed(logger, ex, process.Name, delay);
            }

            if (context.Time.GetElapsedTime(started) > MaxDelay)
            {
                delay = firstDelay; // it ran well for a while: the failure is new, not a repeat
            }

            try
            {
                await Task.Delay(delay, context.Time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
