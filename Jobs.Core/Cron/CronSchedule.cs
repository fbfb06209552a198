using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using NCrontab;

namespace Jobs;

/// <summary>
/// A parsed cron expression: 5 fields (minute hour day-of-month month day-of-week) or 6 fields
/// (second first). Field syntax is NCrontab's: <c>*</c>, numbers, ranges <c>1-5</c>, lists <c>1,3</c>,
/// steps <c>*/15</c>, month and day names (<c>JAN</c>, <c>MON</c>); day-of-week runs 0–6 from Sunday.
/// When both day-of-month and day-of-week are restricted, a day must match both.
/// </summary>
/// <remarks>
/// <para>Occurrences are computed on the wall clock of a time zone, and daylight saving is handled so
/// that a schedule never runs twice for one occurrence and never silently drops one:</para>
/// <list type="bullet">
/// <item><b>Spring forward (a gap):</b> an occurrence whose local time does not exist runs at the
/// first instant after the gap. In Europe/Berlin on the last Sunday of March, <c>30 2 * * *</c> runs at
/// 03:00 local. Several occurrences inside one gap collapse into that one run.</item>
/// <item><b>Fall back (a repeated hour):</b> a cron whose hour field is <c>*</c> or <c>*/n</c> follows
/// real time and fires on both passes of the repeated hour, so an every-minute or hourly job keeps its
/// interval (01:00 EDT, 01:00 EST, 02:00 EST for <c>0 * * * *</c> in New York). A cron that names its
/// hours (<c>30 1 * * *</c>, <c>0 1-3 * * *</c>) fires once, on the first pass (the earlier instant).</item>
/// </list>
/// </remarks>
public sealed partial class CronSchedule
{
    /// <summary>A cron that does not fire within this many years of a base time is treated as never firing.</summary>
    private const int SearchHorizonYears = 50;

    private static readonly string[] FiveFieldNames = ["minute", "hour", "day-of-month", "month", "day-of-week"];
    private static readonly string[] SixFieldNames = ["second", "minute", "hour", "day-of-month", "month", "day-of-week"];

    private readonly CrontabSchedule _schedule;

    private CronSchedule(string expression, CrontabSchedule schedule, bool includesSeconds, bool followsRealTime)
    {
        Expression = expression;
        _schedule = schedule;
        IncludesSeconds = includesSeconds;
        FollowsRealTimeInRepeatedHour = followsRealTime;
    }

    /// <summary>The expression with its fields separated by single spaces.</summary>
    public string Expression { get; }

    /// <summary>True for a 6-field expression (seconds first).</summary>
    public bool IncludesSeconds { get; }

    /// <summary>True when the hour field is <c>*</c> or <c>*/n</c>: the schedule fires on both passes of a repeated (fall-back) hour.</summary>
    public bool FollowsRealTimeInRepeatedHour { get; }

    /// <summary>Parses a 5- or 6-field expression; throws <see cref="ArgumentException"/> that quotes it and says what is wrong.</summary>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParseCore(expression, out var schedule, out var error)
            ? schedule
            : throw new ArgumentException(error, nameof(expression));
    }

    /// <summary>Parses without throwing; <paramref name="error"/> says what is wrong when it returns false.</summary>
    public static bool TryParse(string? expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        if (expression is null)
        {
            schedule = null;
            error = "The cron expression is missing (null).";
            return false;
        }

        return TryParseCore(expression, out schedule, out error);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, read in UTC; null when the cron never fires.</summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after) => GetNextOccurrence(after, TimeZoneInfo.Utc);

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, computed on the wall clock of
    /// <paramref name="zone"/> with the daylight-saving rules of this type; null when the cron never
    /// fires. The result carries the zone's offset at that instant.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var clock = local.DateTime;

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var firstPass = offsets.Max();
            var secondPass = offsets.Min();
            if (local.Offset == firstPass && firstPass != secondPass)
            {
                return NextFromFirstPass(after, clock, zone, firstPass, secondPass);
            }
        }

        return Search(clock, after, zone);
    }

    /// <summary>The occurrences after <paramref name="after"/> up to and including <paramref name="until"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> GetOccurrences(DateTimeOffset after, DateTimeOffset until, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var current = after;
        while (GetNextOccurrence(current, zone) is { } next && next <= until)
        {
            yield return next;
            current = next;
        }
    }

    public override string ToString() => Expression;

    /// <summary>
    /// <paramref name="after"/> lies in the first pass of a repeated hour. In real time what follows is:
    /// the rest of the first pass, then the whole second pass, then the clock after the repeated hour.
    /// </summary>
    private DateTimeOffset? NextFromFirstPass(DateTimeOffset after, DateTime clock, TimeZoneInfo zone, TimeSpan firstPass, TimeSpan secondPass)
    {
        var transition = FirstInstant(after, after + (firstPass - secondPass), t => zone.GetUtcOffset(t) != firstPass);
        var repeatedStart = Unspecified(transition.UtcDateTime + secondPass);
        var repeatedEnd = Unspecified(transition.UtcDateTime + firstPass);

        var inFirstPass = NextLocal(clock);
        if (inFirstPass is { } first && first < repeatedEnd)
        {
            return new DateTimeOffset(first, firstPass);
        }

        if (FollowsRealTimeInRepeatedHour && NextLocal(repeatedStart.AddTicks(-1)) is { } second && second < repeatedEnd)
        {
            return new DateTimeOffset(second, secondPass);
        }

        return Search(repeatedEnd.AddTicks(-1), after, zone);
    }

    /// <summary>Walks the wall-clock occurrences after <paramref name="clock"/> and maps each to an instant.</summary>
    private DateTimeOffset? Search(DateTime clock, DateTimeOffset after, TimeZoneInfo zone)
    {
        foreach (var candidate in _schedule.GetNextOccurrences(clock, Horizon(clock)))
        {
            var local = Unspecified(candidate);
            DateTimeOffset instant;
            if (zone.IsInvalidTime(local))
            {
                instant = FirstInstantAfterGap(local, zone);
            }
            else if (zone.IsAmbiguousTime(local))
            {
                var offsets = zone.GetAmbiguousTimeOffsets(local);
                var firstPass = new DateTimeOffset(local, offsets.Max());
                if (firstPass > after)
                {
                    instant = firstPass;
                }
                else if (FollowsRealTimeInRepeatedHour)
                {
                    instant = new DateTimeOffset(local, offsets.Min());
                }
                else
                {
                    continue; // a named hour runs on the first pass only, and that pass is over
                }
            }
            else
            {
                instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
            }

            if (instant > after)
            {
                return TimeZoneInfo.ConvertTime(instant, zone);
            }
        }

        return null;
    }

    private DateTime? NextLocal(DateTime clock)
    {
        var end = Horizon(clock);
        var next = _schedule.GetNextOccurrence(clock, end);
        return next < end ? Unspecified(next) : null;
    }

    /// <summary>The instant the clock jumps over <paramref name="local"/>: the first whose wall time is past it.</summary>
    private static DateTimeOffset FirstInstantAfterGap(DateTime local, TimeZoneInfo zone)
    {
        // UTC offsets lie within ±14 h, so the jump is within this window; the wall clock only moves
        // forward around a gap, which makes the search monotone.
        var asUtc = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero);
        var low = asUtc - TimeSpan.FromHours(15);
        var high = asUtc + TimeSpan.FromHours(15);
        return TimeZoneInfo.ConvertTime(FirstInstant(low, high, t => t.UtcDateTime + zone.GetUtcOffset(t) > local), zone);
    }

    /// <summary>Binary search for the first instant in (low, high] where a monotone predicate turns true.</summary>
    private static DateTimeOffset FirstInstant(DateTimeOffset low, DateTimeOffset high, Func<DateTimeOffset, bool> predicate)
    {
        var lo = low.UtcTicks;
        var hi = high.UtcTicks;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (predicate(new DateTimeOffset(mid, TimeSpan.Zero)))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return new DateTimeOffset(hi, TimeSpan.Zero);
    }

    private static DateTime Horizon(DateTime clock) =>
        clock.Year > DateTime.MaxValue.Year - SearchHorizonYears - 1 ? DateTime.MaxValue : clock.AddYears(SearchHorizonYears);

    private static DateTime Unspecified(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);

    private static bool TryParseCore(string expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            error = $"Cron expression '{expression}' has {fields.Length} field(s); expected 5 (minute hour day-of-month month day-of-week) " +
                    "or 6 (second minute hour day-of-month month day-of-week).";
            return false;
        }

        var names = fields.Length == 6 ? SixFieldNames : FiveFieldNames;
        for (var i = 0; i < fields.Length; i++)
        {
            if (CheckField(fields[i]) is { } problem)
            {
                error = $"Cron expression '{expression}' is invalid: the {names[i]} field '{fields[i]}' {problem}.";
                return false;
            }
        }

        var normalized = string.Join(' ', fields);
        var includesSeconds = fields.Length == 6;
        CrontabSchedule parsed;
        try
        {
            parsed = CrontabSchedule.Parse(normalized, new CrontabSchedule.ParseOptions { IncludingSeconds = includesSeconds });
        }
        catch (Exception ex) when (ex is CrontabException or FormatException or OverflowException or ArgumentException)
        {
            error = $"Cron expression '{expression}' is invalid: {ex.Message}";
            return false;
        }

        var hour = fields[includesSeconds ? 2 : 1];
        var followsRealTime = hour == "*" || hour.StartsWith("*/", StringComparison.Ordinal);
        schedule = new CronSchedule(normalized, parsed, includesSeconds, followsRealTime);
        error = null;
        return true;
    }

    /// <summary>What NCrontab accepts but misreads: a zero step and a reversed range both mean "every" there.</summary>
    private static string? CheckField(string field)
    {
        foreach (var part in field.Split(','))
        {
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                var step = part[(slash + 1)..];
                if (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
                {
                    return $"has step '{step}'; a step must be a positive whole number";
                }
            }

            var range = NumericRange().Match(slash >= 0 ? part[..slash] : part);
            if (range.Success
                && int.TryParse(range.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && int.TryParse(range.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && start > end)
            {
                return $"has the range {start}-{end}, which runs backwards; write the lower bound first";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(\d+)-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericRange();
}
