using Jobs.Common;

namespace Jobs.States;

/// <summary>A state change to elect (through filters) and store.</summary>
/// <param name="Job">The loaded job, or null when it could not be loaded (filters then see only <paramref name="Invocation"/>).</param>
/// <param name="CurrentState">The state the caller saw the job in.</param>
/// <param name="ExpectedStates">The compare-and-set condition; null means any state.</param>
public sealed record StateChangeRequest(
    string JobId,
    InvocationData Invocation,
    Job? Job,
    string? CurrentState,
    IState CandidateState,
    IReadOnlyList<string>? ExpectedStates,
    int RetryCount)
{
    /// <summary>When set, the change applies only while this server holds the job.</summary>
    public string? ExpectedServerId { get; init; }
}
