using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>Runs a step every interval until stopped; a failing step is logged and tried again at the next interval.</summary>
internal static class PeriodicLoop
{
    public static async Task RunAsync(string name, TimeSpan interval, TimeProvider time, ILogger logger, Func<CancellationToken, Task> step, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await step(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The storage may be away for a while; the next interval tries again.
                ServerLog.ProcessFailed(logger, ex, name, interval);
            }

            try
            {
                await Task.Delay(interval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
