namespace Jobs.Storage;

/// <summary>What a server tells the storage about itself when it starts.</summary>
public sealed record ServerAnnouncement(string Id, int WorkerCount, IReadOnlyList<string> Queues, DateTimeOffset StartedAt);
