using Jobs.Common;

namespace Jobs.Storage;

/// <summary>Everything about one job.</summary>
public sealed record JobDetails(
    JobSummary Summary,
    InvocationData Invocation,
    IReadOnlyList<StateHistoryEntry> History,
    string? ParentId,
    IReadOnlyList<string> ContinuationIds,
    DateTimeOffset? ExpireAt,
    string? ServerId);
