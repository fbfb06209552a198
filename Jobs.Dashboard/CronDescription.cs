using System.Globalization;

namespace Jobs.Dashboard;

/// <summary>Says common cron expressions in plain words ("every day at 03:00"); anything else is shown as "custom schedule".</summary>
internal static class CronDescription
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Describe(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 6)
        {
            if (fields[0] == "*" && fields.Skip(1).All(f => f == "*"))
            {
                return "every second";
            }

            if (Step(fields[0]) is { } seconds && fields.Skip(1).All(f => f == "*"))
            {
                return $"every {seconds} seconds";
            }

            if (fields[0] != "0")
            {
                return "custom schedule";
            }

            fields = fields[1..];
        }

        if (fields.Length != 5)
        {
            return "custom schedule";
        }

        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if (hour == "*" && dayOfMonth == "*" && month == "*" && dayOfWeek == "*")
        {
            if (minute == "*")
            {
                return "every minute";
            }

            if (Step(minute) is { } minutes)
            {
                return $"every {minutes} minutes";
            }

            if (Number(minute, 0, 59) is { } m)
            {
                return m == 0 ? "every hour" : $"every hour at minute {m}";
            }

            return "custom schedule";
        }

        if (Number(minute, 0, 59) is not { } atMinute)
        {
            return "custom schedule";
        }

        if (Step(hour) is { } hours && dayOfMonth == "*" && month == "*" && dayOfWeek == "*")
        {
            return atMinute == 0 ? $"every {hours} hours" : $"every {hours} hours at minute {atMinute}";
        }

        if (Number(hour, 0, 23) is not { } atHour)
        {
            return "custom schedule";
        }

        var at = string.Create(CultureInfo.InvariantCulture, $"{atHour:00}:{atMinute:00}");
        if (dayOfMonth == "*" && month == "*")
        {
            if (dayOfWeek == "*")
            {
                return $"every day at {at}";
            }

            if (dayOfWeek is "1-5" or "MON-FRI")
            {
                return $"every weekday at {at}";
            }

            var days = dayOfWeek.Split(',').Select(DayOfWeek).ToArray();
            return days.All(d => d is not null) ? $"every {string.Join(", ", days)} at {at}" : "custom schedule";
        }

        if (dayOfWeek == "*" && Number(dayOfMonth, 1, 31) is { } day)
        {
            if (month == "*")
            {
                return $"every month on day {day} at {at}";
            }

            if (Month(month) is { } monthName)
            {
                return $"every year on {monthName} {day} at {at}";
            }
        }

        return "custom schedule";
    }

    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && Number(field[2..], 1, 1000) is { } n ? n : null;

    private static int? Number(string field, int min, int max) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null;

    private static string? DayOfWeek(string field)
    {
        if (Number(field, 0, 7) is { } n)
        {
            return Days[n];
        }

        var index = Array.FindIndex(DayNames, d => string.Equals(d, field, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? Days[index] : null;
    }

    private static string? Month(string field) => Number(field, 1, 12) is { } n ? Months[n - 1] : null;
}
