namespace Jobs.States;

/// <summary>A continuation waiting for its parent job to finish.</summary>
public sealed class AwaitingState : IState
{
    public const string StateName = "Awaiting";

    public AwaitingState(string parentId, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentId);
        ParentId = parentId;
        Options = options;
        Reason = reason;
    }

    public string ParentId { get; }

    public JobContinuationOptions Options { get; }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => false;

    public IReadOnlyDictionary<string, string> SerializeData() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ParentId"] = ParentId,
        ["Options"] = Options.ToString(),
    };
}
