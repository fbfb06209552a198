namespace Jobs.Storage;

/// <summary>One state a job entered, with why and when.</summary>
public sealed record StateHistoryEntry(string StateName, string? Reason, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Data);
