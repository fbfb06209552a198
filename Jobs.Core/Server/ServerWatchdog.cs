using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>Every <see cref="BackgroundJobServerOptions.ServerCheckInterval"/>, removes servers silent for <see cref="BackgroundJobServerOptions.ServerTimeout"/> and requeues their jobs.</summary>
internal sealed class ServerWatchdog : IBackgroundProcess
{
    private readonly ILogger _logger;

    public ServerWatchdog(ILogger logger)
    {
        _logger = logger;
    }

    public string Name => nameof(ServerWatchdog);

    public Task ExecuteAsync(BackgroundProcessContext context) =>
        PeriodicLoop.RunAsync(Name, context.Options.ServerCheckInterval, context.Time, _logger, ct => CheckAsync(context, ct), context.StoppingToken);

    private async Task CheckAsync(BackgroundProcessContext context, CancellationToken cancellationToken)
    {
        var removed = await context.Storage.RemoveTimedOutServersAsync(context.Time.GetUtcNow() - context.Options.ServerTimeout, cancellationToken);
        if (removed.Count > 0)
        {
            ServerLog.ServersTimedOut(_logger, removed.Count, string.Join(", ", removed));
        }
    }
}
