using Jobs.Common;

namespace Jobs.Storage;

/// <summary>A stored recurring job with what the scheduler and the dashboard need.</summary>
public sealed record RecurringJobRecord(
    string Id,
    InvocationData Invocation,
    string Cron,
    string TimeZoneId,
    string Queue,
    MisfireHandling Misfire,
    bool AllowOverlap,
    bool Paused,
    DateTimeOffset? NextExecution,
    DateTimeOffset? LastExecution,
    string? LastJobId,
    string? LastJobState,
    DateTimeOffset CreatedAt)
{
    /// <summary>Why the latest occurrence was skipped (overlap or misfire), when it was.</summary>
    public string? LastSkipReason { get; init; }

    /// <summary>When the latest occurrence was skipped.</summary>
    public DateTimeOffset? LastSkippedAt { get; init; }
}
