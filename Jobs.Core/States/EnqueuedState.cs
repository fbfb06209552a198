using System.Globalization;

namespace Jobs.States;

/// <summary>Waiting in a queue for a worker.</summary>
public sealed class EnqueuedState : IState
{
    public const string StateName = "Enqueued";
    public const string DefaultQueue = "default";

    /// <param name="queue">The queue to wait in; null keeps the job's own queue.</param>
    public EnqueuedState(string? queue = null, string? reason = null)
    {
        Queue = queue is null ? null : QueueNames.Validate(queue);
        Reason = reason;
    }

    /// <summary>The queue named by this state, or null for the job's own queue.</summary>
    public string? Queue { get; }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => false;

    public DateTimeOffset? EnqueuedAt { get; init; }

    public IReadOnlyDictionary<string, string> SerializeData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Queue is not null)
        {
            data["Queue"] = Queue;
        }

        if (EnqueuedAt is { } at)
        {
            data["EnqueuedAt"] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        return data;
    }
}
