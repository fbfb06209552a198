using System.Globalization;
using Jobs.States;

namespace Jobs.Storage.InMemory;

/// <summary>
/// The runs of one task (job method and recurring job) added up: the figures expiration keeps per UTC day, and the
/// sum <see cref="InMemoryStore.TaskStatistics"/> builds from those and the jobs still stored.
/// </summary>
internal sealed class InMemoryTaskFigures
{
    public InMemoryTaskFigures(string displayName, string? recurringJobId)
    {
        DisplayName = displayName;
        RecurringJobId = recurringJobId;
    }

    public string DisplayName { get; }

    public string? RecurringJobId { get; }

    public long Succeeded { get; private set; }

    public long Failed { get; private set; }

    /// <summary>Succeeded runs with a recorded duration.</summary>
    public long Timed { get; private set; }

    public decimal TotalMilliseconds { get; private set; }

    public long? MaxMilliseconds { get; private set; }

    /// <summary>The stored job of <see cref="MaxMilliseconds"/>; null when that run's job has expired.</summary>
    public string? SlowestJobId { get; private set; }

    /// <summary>Adds a job that is Succeeded or Failed; <paramref name="stored"/> says whether it is still stored (then it can be the slowest job named).</summary>
    public void Add(InMemoryJob job, bool stored)
    {
        if (job.StateName == FailedState.StateName)
        {
            Failed++;
            return;
        }

        Succeeded++;
        if (!long.TryParse(job.StateData.GetValueOrDefault("PerformanceDuration"), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return;
        }

        Timed++;
        TotalMilliseconds += milliseconds;
        if (MaxMilliseconds is not { } max || milliseconds > max)
        {
            MaxMilliseconds = milliseconds;
            SlowestJobId = stored ? job.IdText : null;
        }
        else if (stored && milliseconds == max && SlowestJobId is { } slowest && job.Id < long.Parse(slowest, CultureInfo.InvariantCulture))
        {
            SlowestJobId = job.IdText;
        }
    }

    /// <summary>Adds figures of expired jobs: a longer run than the longest so far has no job to name.</summary>
    public void Add(InMemoryTaskFigures expired)
    {
        Succeeded += expired.Succeeded;
        Failed += expired.Failed;
        Timed += expired.Timed;
        TotalMilliseconds += expired.TotalMilliseconds;
        if (expired.MaxMilliseconds is { } longest && (MaxMilliseconds is not { } max || longest > max))
        {
            MaxMilliseconds = longest;
            SlowestJobId = null;
        }
    }

    public TaskStatistics ToStatistics() => new(
        DisplayName,
        RecurringJobId,
        Succeeded,
        Failed,
        Timed == 0 ? null : TimeSpan.FromMilliseconds((double)(TotalMilliseconds / Timed)),
        MaxMilliseconds is { } max ? TimeSpan.FromMilliseconds(max) : null,
        SlowestJobId);
}
