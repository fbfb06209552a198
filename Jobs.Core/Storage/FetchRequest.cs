namespace Jobs.Storage;

/// <summary>What a server asks for: up to <paramref name="Count"/> jobs from <paramref name="Queues"/> in priority order.</summary>
public sealed record FetchRequest(IReadOnlyList<string> Queues, int Count, string ServerId);
