using System.Globalization;

namespace Jobs;

/// <summary>
/// Cron expressions for the usual schedules, as Hangfire users know them: <c>Cron.Daily(3, 30)</c>
/// is <c>"30 3 * * *"</c>. Arguments out of range throw <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public static class Cron
{
    /// <summary>Every minute, at second 0.</summary>
    public static string Minutely() => "* * * * *";

    /// <summary>Every hour at minute 0.</summary>
    public static string Hourly() => Hourly(0);

    /// <summary>Every hour at the given minute (0–59).</summary>
    public static string Hourly(int minute) => Format("{0} * * * *", Minute(minute));

    /// <summary>Every day at 00:00.</summary>
    public static string Daily() => Daily(0, 0);

    /// <summary>Every day at the given hour (0–23), minute 0.</summary>
    public static string Daily(int hour) => Daily(hour, 0);

    /// <summary>Every day at the given hour (0–23) and minute (0–59).</summary>
    public static string Daily(int hour, int minute) => Format("{0} {1} * * *", Minute(minute), Hour(hour));

    /// <summary>Every Monday at 00:00.</summary>
    public static string Weekly() => Weekly(DayOfWeek.Monday, 0, 0);

    /// <summary>Every week on the given day at 00:00.</summary>
    public static string Weekly(DayOfWeek dayOfWeek) => Weekly(dayOfWeek, 0, 0);

    /// <summary>Every week on the given day at the given hour, minute 0.</summary>
    public static string Weekly(DayOfWeek dayOfWeek, int hour) => Weekly(dayOfWeek, hour, 0);

    /// <summary>Every week on the given day at the given hour and minute.</summary>
    public static string Weekly(DayOfWeek dayOfWeek, int hour, int minute) =>
        Format("{0} {1} * * {2}", Minute(minute), Hour(hour), Day(dayOfWeek));

    /// <summary>The first day of every month at 00:00.</summary>
    public static string Monthly() => Monthly(1, 0, 0);

    /// <summary>The given day (1–31) of every month at 00:00; months without that day are skipped.</summary>
    public static string Monthly(int day) => Monthly(day, 0, 0);

    /// <summary>The given day (1–31) of every month at the given hour, minute 0.</summary>
    public static string Monthly(int day, int hour) => Monthly(day, hour, 0);

    /// <summary>The given day (1–31) of every month at the given hour and minute.</summary>
    public static string Monthly(int day, int hour, int minute) =>
        Format("{0} {1} {2} * *", Minute(minute), Hour(hour), DayOfMonth(day));

    /// <summary>January 1st at 00:00.</summary>
    public static string Yearly() => Yearly(1, 1, 0, 0);

    /// <summary>The first day of the given month (1–12) at 00:00.</summary>
    public static string Yearly(int month) => Yearly(month, 1, 0, 0);

    /// <summary>The given month (1–12) and day (1–31) at 00:00.</summary>
    public static string Yearly(int month, int day) => Yearly(month, day, 0, 0);

    /// <summary>The given month and day at the given hour, minute 0.</summary>
    public static string Yearly(int month, int day, int hour) => Yearly(month, day, hour, 0);

    /// <summary>The given month (1–12) and day at the given hour (0–23) and minute (0–59).</summary>
    public static string Yearly(int month, int day, int hour, int minute)
    {
        var m = Month(month);
        var d = DayOfMonth(day);
        if (d > DateTime.DaysInMonth(2024, m))
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"Month {m} has no day {d}: the schedule would never fire (use Cron.Never() for that).");
        }

        return Format("{0} {1} {2} {3} *", Minute(minute), Hour(hour), d, m);
    }

    /// <summary>A valid expression that never fires (February 31st): for a recurring job that only runs when triggered.</summary>
    public static string Never() => "0 0 31 2 *";

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private static int Minute(int minute) => InRange(minute, 0, 59, "minute");

    private static int Hour(int hour) => InRange(hour, 0, 23, "hour");

    private static int DayOfMonth(int day) => InRange(day, 1, 31, "day");

    private static int Month(int month) => InRange(month, 1, 12, "month");

    private static int Day(DayOfWeek day) =>
        Enum.IsDefined(day) ? (int)day : throw new ArgumentOutOfRangeException(nameof(day), day, "Not a day of the week.");

    private static int InRange(int value, int min, int max, string name) =>
        value < min || value > max
            ? throw new ArgumentOutOfRangeException(name, value, $"The {name} must be between {min} and {max}, was {value}.")
            : value;
}
