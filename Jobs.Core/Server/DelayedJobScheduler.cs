using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>Moves due Scheduled jobs to their queues every <see cref="BackgroundJobServerOptions.SchedulePollingInterval"/>, in batches until none is left.</summary>
internal sealed class DelayedJobScheduler : IBackgroundProcess
{
    public const int BatchSize = 1000;

    private readonly ILogger _logger;

    public DelayedJobScheduler(ILogger logger)
    {
        _logger = logger;
    }

    public string Name => nameof(DelayedJobScheduler);

    public Task ExecuteAsync(BackgroundProcessContext context) =>
        PeriodicLoop.RunAsync(Name, context.Options.SchedulePollingInterval, context.Time, _logger, ct => EnqueueDueAsync(context, ct), context.StoppingToken);

    private async Task EnqueueDueAsync(BackgroundProcessContext context, CancellationToken cancellationToken)
    {
        var total = await BatchDrain.RunAsync(
            (size, ct) => context.Storage.EnqueueDueScheduledJobsAsync(context.Time.GetUtcNow(), size, ct),
            BatchSize,
            cancellationToken);

        if (total > 0)
        {
            ServerLog.ScheduledJobsEnqueued(_logger, total);
        }
    }
}
