namespace Jobs.Storage;

/// <summary>A registered server as the dashboard shows it.</summary>
public sealed record ServerRecord(string Id, int WorkerCount, IReadOnlyList<string> Queues, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat);
