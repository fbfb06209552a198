namespace Jobs.States;

/// <summary>A state a job can be in. Each change is stored with its reason, data and time in the job's history.</summary>
public interface IState
{
    /// <summary>The state's name as stored, such as <c>Enqueued</c>.</summary>
    string Name { get; }

    /// <summary>Why the job entered this state, for the history ("Retry attempt 2 of 10", "Triggered by the dashboard").</summary>
    string? Reason { get; }

    /// <summary>Final states (Succeeded, Deleted) end the job's life and let it expire.</summary>
    bool IsFinal { get; }

    /// <summary>The state's details, stored as a JSON object of strings in the history.</summary>
    IReadOnlyDictionary<string, string> SerializeData();
}
