namespace Jobs.States;

/// <summary>Held and being performed by a worker of a server.</summary>
public sealed class ProcessingState : IState
{
    public const string StateName = "Processing";

    public ProcessingState(string serverId, string? workerId = null, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverId);
        ServerId = serverId;
        WorkerId = workerId;
        Reason = reason;
    }

    public string ServerId { get; }

    public string? WorkerId { get; }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => false;

    public IReadOnlyDictionary<string, string> SerializeData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["ServerId"] = ServerId };
        if (WorkerId is not null)
        {
            data["WorkerId"] = WorkerId;
        }

        return data;
    }
}
