namespace Jobs.Recurring;

/// <summary>What one pass of the <see cref="RecurringJobScheduler"/> did.</summary>
/// <param name="Due">Recurring jobs read as due.</param>
/// <param name="Claimed">Occurrences this server claimed (created or skipped); lost races are not counted.</param>
/// <param name="MoreDue">A full batch was read, so more may be due.</param>
/// <param name="EarliestNext">The earliest next run this pass set, to wake in time for it.</param>
internal sealed record SchedulerPass(int Due, int Claimed, bool MoreDue, DateTimeOffset? EarliestNext);
