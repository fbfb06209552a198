using System.Globalization;
using Jobs.Common;

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
        if (delta.Duration() < TimeSpan.FromSeconds(1))
        {
            return "just now";
        }

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

    /// <summary>
    /// The job's call as a developer writes it, <c>Namespace.Type.Method(String, CancellationToken)</c>, and the
    /// assembly of its type: stored names carry an assembly after a comma, which read inline as a parameter.
    /// </summary>
    public static (string Call, string? Assembly) Call(InvocationData invocation)
    {
        var (type, assembly) = SplitAssembly(invocation.Type);
        var parameters = string.Join(", ", invocation.ParameterTypes.Select(TypeNames.ShortName));
        return ($"{type}.{invocation.Method}({parameters})", assembly);
    }

    /// <summary>"Ns.Type, Assembly" → ("Ns.Type", "Assembly"); the comma of a generic argument's assembly is inside brackets.</summary>
    private static (string Type, string? Assembly) SplitAssembly(string typeName)
    {
        var depth = 0;
        for (var i = typeName.Length - 1; i >= 0; i--)
        {
            switch (typeName[i])
            {
                case ']':
                    depth++;
                    break;
                case '[':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return (typeName[..i].Trim(), typeName[(i + 1)..].Trim());
            }
        }

        return (typeName, null);
    }
}
