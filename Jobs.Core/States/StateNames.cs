namespace Jobs.States;

/// <summary>Every state name, in the order a job usually passes through them.</summary>
public static class StateNames
{
    public static IReadOnlyList<string> All { get; } =
    [
        ScheduledState.StateName,
        AwaitingState.StateName,
        EnqueuedState.StateName,
        ProcessingState.StateName,
        SucceededState.StateName,
        FailedState.StateName,
        DeletedState.StateName,
    ];

    /// <summary>Returns the canonical spelling of a state name, or null when it names no state.</summary>
    public static string? Normalize(string? name) =>
        All.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
}
