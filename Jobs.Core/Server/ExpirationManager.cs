using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>Deletes expired jobs every <see cref="BackgroundJobServerOptions.ExpirationCheckInterval"/>, in batches until none is left.</summary>
internal sealed class ExpirationManager : IBackgroundProcess
{
    public const int BatchSize = 1000;

    private readonly ILogger _logger;

    public ExpirationManager(ILogger logger)
    {
        _logger = logger;
    }

    public string Name => nameof(ExpirationManager);

    public Task ExecuteAsync(BackgroundProcessContext context) =>
        PeriodicLoop.RunAsync(Name, context.Options.ExpirationCheckInterval, context.Time, _logger, ct => DeleteExpiredAsync(context, ct), context.StoppingToken);

    private async Task DeleteExpiredAsync(BackgroundProcessContext context, CancellationToken cancellationToken)
    {
        var total = await BatchDrain.RunAsync(
            (size, ct) => context.Storage.DeleteExpiredJobsAsync(context.Time.GetUtcNow(), size, ct),
            BatchSize,
            cancellationToken);

        if (total > 0)
        {
            ServerLog.ExpiredJobsDeleted(_logger, total);
        }
    }
}
