using System.Globalization;

namespace Jobs.Dashboard.Html;

/// <summary>How times, durations and numbers read on the dashboard.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset? time) =>
        time is null ? "—" : time.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static RawHtml TimeTag(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is null)
        {
            return new RawHtml("—");
        }

        var iso = time.Value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        return new RawHtml($"<time datetime=\"{iso}\" title=\"{Time(time)}\">{HtmlWriter.Encode(Relative(time.Value, now))}</time>");
    }

    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var delta = now - time;
        var future = delta < TimeSpan.Zero;
        var text = Duration(future ? -delta : delta, coarse: true);
        return future ? "in " + text : text + " ago";
    }

    public static string Duration(TimeSpan span, bool coarse = false)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return coarse ? "just now" : $"{span.TotalMilliseconds:0} ms";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return coarse ? $"{(int)span.TotalSeconds} s" : $"{span.TotalSeconds:0.###} s".Replace(',', '.');
        }

        if (span < TimeSpan.FromHours(1))
        {
            return $"{(int)span.TotalMinutes} min {span.Seconds} s";
        }

        if (span < TimeSpan.FromDays(1))
        {
            return $"{(int)span.TotalHours} h {span.Minutes} min";
        }

        return $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
