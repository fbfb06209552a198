using Jobs.Storage;

namespace Jobs.Server;

/// <summary>What a background process gets from the server that runs it.</summary>
public sealed record BackgroundProcessContext(
    string ServerId,
    IJobStorage Storage,
    BackgroundJobServerOptions Options,
    TimeProvider Time,
    CancellationToken StoppingToken);
