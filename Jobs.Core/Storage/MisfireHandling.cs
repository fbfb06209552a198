namespace Jobs;

/// <summary>What a recurring job does with the occurrences it missed while no server was running.</summary>
public enum MisfireHandling
{
    /// <summary>One catch-up run for all the missed occurrences, then the normal schedule.</summary>
    RunOnce = 0,

    /// <summary>No catch-up: missed occurrences are skipped (and recorded), the schedule resumes with the next one.</summary>
    Skip = 1,
}
