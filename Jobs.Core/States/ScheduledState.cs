using System.Globalization;

namespace Jobs.States;

/// <summary>Waiting for its time; the delayed-job scheduler moves it into the job's queue when due.</summary>
public sealed class ScheduledState : IState
{
    public const string StateName = "Scheduled";

    public ScheduledState(DateTimeOffset enqueueAt, string? reason = null)
    {
        EnqueueAt = enqueueAt.ToUniversalTime();
        Reason = reason;
    }

    public DateTimeOffset EnqueueAt { get; }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => false;

    public IReadOnlyDictionary<string, string> SerializeData() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["EnqueueAt"] = EnqueueAt.ToString("O", CultureInfo.InvariantCulture),
    };
}
