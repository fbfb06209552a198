namespace Jobs;

/// <summary>What happens to a job after its last retry attempt failed.</summary>
public enum AttemptsExceededAction
{
    /// <summary>The job stays Failed, for an operator to see (and the alert filter to report).</summary>
    Fail = 0,

    /// <summary>The job is deleted.</summary>
    Delete = 1,
}
