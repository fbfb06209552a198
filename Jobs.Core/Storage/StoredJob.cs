using Jobs.Common;

namespace Jobs.Storage;

/// <summary>A job as the engine reads it back: what to run and where it stands.</summary>
public sealed record StoredJob(
    string Id,
    InvocationData Invocation,
    string Queue,
    string StateName,
    int RetryCount,
    DateTimeOffset CreatedAt,
    string? ServerId,
    string? RecurringJobId);
