using Jobs.Common;

namespace Jobs.Storage.InMemory;

/// <summary>One stored job with the index keys it is filed under. Touched only under the store's lock.</summary>
internal sealed class InMemoryJob
{
    public InMemoryJob(long id, InvocationData invocation, string queue, string? recurringJobId, DateTimeOffset createdAt)
    {
        Id = id;
        IdText = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Invocation = invocation;
        Queue = queue;
        RecurringJobId = recurringJobId;
        CreatedAt = createdAt;
    }

    public long Id { get; }

    public string IdText { get; }

    public InvocationData Invocation { get; }

    /// <summary>The job's own queue; an Enqueued state naming another queue moves the job there.</summary>
    public string Queue { get; set; }

    public string? RecurringJobId { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Empty until the first state is written.</summary>
    public string StateName { get; set; } = string.Empty;

    public string? StateReason { get; set; }

    public IReadOnlyDictionary<string, string> StateData { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public DateTimeOffset StateChangedAt { get; set; }

    public int RetryCount { get; set; }

    /// <summary>The server holding the job while it is Processing.</summary>
    public string? ServerId { get; set; }

    public DateTimeOffset EnqueuedAt { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    public DateTimeOffset? ExpireAt { get; set; }

    public string? ParentId { get; set; }

    public JobContinuationOptions ContinuationOptions { get; set; }

    public List<long> Continuations { get; } = [];

    /// <summary>Oldest first.</summary>
    public List<StateHistoryEntry> History { get; } = [];

    /// <summary>The job's log, oldest first; the "more lines dropped" marker, when there is one, stays last.</summary>
    public List<JobLogLine> Log { get; } = [];

    /// <summary>Lines kept in <see cref="Log"/>, the marker not counted.</summary>
    public int LogLineCount { get; set; }

    /// <summary>Lines dropped beyond the cap; counted in the marker.</summary>
    public long DroppedLogLines { get; set; }

    /// <summary>Where the marker stands in <see cref="Log"/>, or -1.</summary>
    public int DroppedMarkerIndex { get; set; } = -1;

    public (long Ticks, long Id) StateKey => (StateChangedAt.UtcTicks, Id);

    public (long Ticks, long Id) QueueKey => (EnqueuedAt.UtcTicks, Id);
}
