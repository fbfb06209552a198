using Jobs.Common;

namespace Jobs.Storage;

/// <summary>A job a server now holds in Processing.</summary>
/// <param name="EnqueuedAt">When it last became Enqueued; the queue latency is measured from here.</param>
public sealed record FetchedJob(
    string Id,
    InvocationData Invocation,
    string Queue,
    int RetryCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset EnqueuedAt,
    string? RecurringJobId);
