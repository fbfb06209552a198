namespace Jobs.States;

/// <summary>Removed by a user or a filter; expires like a succeeded job.</summary>
public sealed class DeletedState : IState
{
    public const string StateName = "Deleted";

    public DeletedState(string? reason = null)
    {
        Reason = reason;
    }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => true;

    public IReadOnlyDictionary<string, string> SerializeData() => new Dictionary<string, string>(StringComparer.Ordinal);
}
