namespace Jobs.Storage;

public enum RecurringClaimOutcome
{
    /// <summary>The occurrence is ours and its job was created.</summary>
    Created,

    /// <summary>The occurrence is ours, but it was skipped (previous run still going, or a missed occurrence under Skip).</summary>
    Skipped,

    /// <summary>Another server claimed it first, or the job was paused, changed or removed meanwhile.</summary>
    LostRace,
}
