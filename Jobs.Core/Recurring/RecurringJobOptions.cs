namespace Jobs;

/// <summary>How a recurring job is scheduled and where its runs go. Every setting has a default.</summary>
public sealed class RecurringJobOptions
{
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;

    /// <summary>The zone the cron expression is read in. Default: UTC. Setting it clears <see cref="TimeZoneId"/>.</summary>
    public TimeZoneInfo TimeZone
    {
        get => _timeZone;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _timeZone = value;
            TimeZoneId = null;
        }
    }

    /// <summary>
    /// The zone by IANA id (<c>Europe/Berlin</c>; Windows ids are accepted too), for configuration files.
    /// When set it wins over <see cref="TimeZone"/>; an unknown id is refused when the job is added. Default: null.
    /// </summary>
    public string? TimeZoneId { get; set; }

    /// <summary>The queue runs go to. Default: null, meaning <c>[Queue]</c> on the method or class, else "default".</summary>
    public string? Queue { get; set; }

    /// <summary>What happens to occurrences missed while no server ran. Default: <see cref="MisfireHandling.RunOnce"/>.</summary>
    public MisfireHandling MisfireHandling { get; set; } = MisfireHandling.RunOnce;

    /// <summary>When false (the default), an occurrence is skipped (and recorded) while the previous run is still enqueued or processing.</summary>
    public bool AllowOverlap { get; set; }
}
