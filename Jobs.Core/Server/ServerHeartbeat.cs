using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>Reports the server alive every <see cref="BackgroundJobServerOptions.HeartbeatInterval"/>; when the storage no longer knows it, announces it again.</summary>
internal sealed class ServerHeartbeat : IBackgroundProcess
{
    private readonly ServerAnnouncement _announcement;
    private readonly ILogger _logger;

    public ServerHeartbeat(ServerAnnouncement announcement, ILogger logger)
    {
        _announcement = announcement;
        _logger = logger;
    }

    public string Name => nameof(ServerHeartbeat);

    public Task ExecuteAsync(BackgroundProcessContext context) =>
        PeriodicLoop.RunAsync(Name, context.Options.HeartbeatInterval, context.Time, _logger, ct => BeatAsync(context, ct), context.StoppingToken);

    private async Task BeatAsync(BackgroundProcessContext context, CancellationToken cancellationToken)
    {
        if (!await context.Storage.HeartbeatAsync(context.ServerId, context.Time.GetUtcNow(), cancellationToken))
        {
            ServerLog.ReAnnouncing(_logger, context.ServerId);
            await context.Storage.AnnounceServerAsync(_announcement, cancellationToken);
        }
    }
}
