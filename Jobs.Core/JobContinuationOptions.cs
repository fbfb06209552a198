namespace Jobs;

/// <summary>When a continuation runs, relative to its parent job.</summary>
public enum JobContinuationOptions
{
    /// <summary>Only when the parent succeeds; a deleted parent deletes the continuation.</summary>
    OnlyOnSucceededState = 0,

    /// <summary>When the parent reaches any final state (Succeeded or Deleted).</summary>
    OnAnyFinishedState = 1,
}
