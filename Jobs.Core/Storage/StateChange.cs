using Jobs.States;

namespace Jobs.Storage;

/// <summary>One compare-and-set state change.</summary>
public sealed record StateChange(string JobId, IState NewState)
{
    /// <summary>The change applies only while the job is in one of these states; null means any state.</summary>
    public IReadOnlyList<string>? ExpectedStates { get; init; }

    /// <summary>When set, the change applies only while this server holds the job (Processing by it).</summary>
    public string? ExpectedServerId { get; init; }

    /// <summary>When set, stored as the job's retry count (how many failed attempts were retried).</summary>
    public int? RetryCount { get; init; }
}
