using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// Every heartbeat, asks the storage which of the running jobs this server no longer holds (deleted,
/// or requeued by another server's watchdog) and cancels their tokens.
/// </summary>
internal sealed class HeldJobsChecker : IBackgroundProcess
{
    private readonly JobDispatcher _dispatcher;
    private readonly ILogger _logger;

    public HeldJobsChecker(JobDispatcher dispatcher, ILogger logger)
    {
        _dispatcher = dispatcher;
        _logger = logger;
    }

    public string Name => nameof(HeldJobsChecker);

    public Task ExecuteAsync(BackgroundProcessContext context) =>
        PeriodicLoop.RunAsync(Name, context.Options.HeartbeatInterval, context.Time, _logger, ct => CheckAsync(context, ct), context.StoppingToken);

    private async Task CheckAsync(BackgroundProcessContext context, CancellationToken cancellationToken)
    {
        var running = _dispatcher.GetRunningJobIds();
        if (running.Count == 0)
        {
            return;
        }

        var lost = await context.Storage.GetJobsNoLongerHeldAsync(context.ServerId, running, cancellationToken);
        foreach (var jobId in lost)
        {
            if (_dispatcher.Abort(jobId, JobAbortReason.NoLongerHeld))
            {
                ServerLog.JobNoLongerHeld(_logger, jobId);
            }
        }
    }
}
