using Jobs.Common;

namespace Jobs.Storage;

/// <summary>A recurring job as its owner defines it.</summary>
/// <param name="Cron">A 5- or 6-field cron expression (6 fields: seconds first).</param>
/// <param name="TimeZoneId">The IANA (or Windows) id of the zone the cron is read in.</param>
/// <param name="NextExecution">The next occurrence computed from now, used when the schedule is new or changed; null when the cron never fires.</param>
public sealed record RecurringJobDefinition(
    string Id,
    InvocationData Invocation,
    string Cron,
    string TimeZoneId,
    string Queue,
    DateTimeOffset? NextExecution)
{
    public MisfireHandling Misfire { get; init; } = MisfireHandling.RunOnce;

    /// <summary>When false (the default), an occurrence is skipped while the previous run is still enqueued or processing.</summary>
    public bool AllowOverlap { get; init; }
}
