using System.Text;

namespace Jobs.Server.Metrics;

/// <summary>
/// Turns instrument names into Prometheus names the way OpenTelemetry's exporter does: dots and other invalid characters
/// become '_', the unit becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations such as
/// <c>{job}</c> are dropped), and counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    public static string Metric(string instrumentName, string? unit, PrometheusMetricType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrumentName);
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit);
        if (suffix is not null && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (type == PrometheusMetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public static string Label(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Sanitize(key, allowColon: false);
    }

    private static string? UnitSuffix(string? unit) => unit switch
    {
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "1" => "ratio",
        _ => null,
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return builder.ToString();
    }
}
