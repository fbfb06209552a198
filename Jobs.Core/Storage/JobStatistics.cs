namespace Jobs.Storage;

/// <summary>The overview counters.</summary>
public sealed record JobStatistics(
    long Enqueued,
    long Scheduled,
    long Awaiting,
    long Processing,
    long Succeeded,
    long Failed,
    long Deleted,
    long Retries,
    long Servers,
    long RecurringJobs,
    long Queues);
