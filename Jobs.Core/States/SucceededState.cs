using System.Globalization;

namespace Jobs.States;

/// <summary>Performed without an exception. Keeps the (size-capped) result, the duration and the queue latency.</summary>
public sealed class SucceededState : IState
{
    public const string StateName = "Succeeded";

    /// <summary>Results longer than this many characters of JSON are cut, so a large return value cannot bloat storage.</summary>
    public const int MaxResultLength = 4000;

    public SucceededState(string? result, TimeSpan latency, TimeSpan duration, string? reason = null)
    {
        Result = result is { Length: > MaxResultLength } ? result[..MaxResultLength] + "…" : result;
        Latency = latency;
        Duration = duration;
        Reason = reason;
    }

    /// <summary>The return value as JSON, or null for void / Task methods.</summary>
    public string? Result { get; }

    /// <summary>Time from the job becoming available in its queue to its start.</summary>
    public TimeSpan Latency { get; }

    /// <summary>Time the method took.</summary>
    public TimeSpan Duration { get; }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => true;

    public IReadOnlyDictionary<string, string> SerializeData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Latency"] = ((long)Latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["PerformanceDuration"] = ((long)Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        if (Result is not null)
        {
            data["Result"] = Result;
        }

        return data;
    }
}
