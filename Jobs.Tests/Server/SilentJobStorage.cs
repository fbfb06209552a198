using Jobs.Storage;

namespace Jobs.Tests.Server;

/// <summary>A server's view of the storage that, once silenced, never gets a heartbeat through (as if the process hung).</summary>
internal sealed class SilentJobStorage : DelegatingJobStorage
{
    private volatile bool _silent;

    public SilentJobStorage(IJobStorage inner)
        : base(inner)
    {
    }

    public void Silence() => _silent = true;

    public override async Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_silent)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return await base.HeartbeatAsync(serverId, now, cancellationToken);
    }
}
