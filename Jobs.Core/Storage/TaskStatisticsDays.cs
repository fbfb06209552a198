namespace Jobs.Storage;

/// <summary>
/// How every storage files the runs of expired jobs for <see cref="IMonitoringApi.GetTaskStatisticsAsync"/>: per UTC
/// day they finished. A range counts the days that start inside it, so consecutive ranges never count a day twice.
/// </summary>
internal static class TaskStatisticsDays
{
    /// <summary>The UTC day holding <paramref name="time"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    /// <summary>The days whose start (midnight UTC) lies in [<paramref name="from"/>, <paramref name="to"/>): from <c>First</c> (inclusive) to <c>End</c> (exclusive).</summary>
    public static (DateOnly First, DateOnly End) StartingIn(DateTimeOffset from, DateTimeOffset to) => (FirstMidnightAtOrAfter(from), FirstMidnightAtOrAfter(to));

    /// <summary>The oldest day kept when figures are kept for <paramref name="retention"/> up to <paramref name="now"/>; older days are dropped.</summary>
    public static DateOnly OldestKept(DateTimeOffset now, TimeSpan retention) =>
        now - DateTimeOffset.MinValue <= retention ? DateOnly.MinValue : DayOf(now - retention);

    private static DateOnly FirstMidnightAtOrAfter(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var day = DateOnly.FromDateTime(utc);
        return utc.TimeOfDay == TimeSpan.Zero || day == DateOnly.MaxValue ? day : day.AddDays(1);
    }
}
