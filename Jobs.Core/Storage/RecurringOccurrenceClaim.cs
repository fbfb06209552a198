namespace Jobs.Storage;

/// <summary>One occurrence of a recurring job the scheduler wants to claim.</summary>
/// <param name="ExpectedNextExecution">The next run the scheduler saw; the claim succeeds only while it is unchanged.</param>
/// <param name="NewNextExecution">The occurrence after this one (null: the cron never fires again).</param>
/// <param name="Job">The job to create; null records a skip with <see cref="SkipReason"/> (a missed occurrence under <see cref="MisfireHandling.Skip"/>).</param>
public sealed record RecurringOccurrenceClaim(
    string RecurringJobId,
    DateTimeOffset ExpectedNextExecution,
    DateTimeOffset? NewNextExecution,
    DateTimeOffset ClaimedAt,
    NewJob? Job)
{
    /// <summary>When true, the job is not created while the previous run is still Enqueued or Processing; the skip is recorded.</summary>
    public bool SkipIfPreviousRunning { get; init; } = true;

    /// <summary>The reason recorded when <see cref="Job"/> is null.</summary>
    public string? SkipReason { get; init; }
}
