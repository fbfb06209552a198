using System.Globalization;
using System.Text;

namespace Jobs.Server.Metrics;

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: <c># HELP</c> and <c># TYPE</c> per family, one line per
/// sample, histograms as cumulative <c>_bucket{le="…"}</c> lines ending in <c>+Inf</c>, then <c>_sum</c> and <c>_count</c>.
/// </summary>
internal static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<PrometheusMetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (var family in families)
        {
            WriteFamily(text, family);
        }

        return text.ToString();
    }

    public static void WriteFamily(StringBuilder text, PrometheusMetricFamily family)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(family);
        text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
        text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
        foreach (var series in family.Series)
        {
            if (family.Type == PrometheusMetricType.Histogram && series.Histogram is { } histogram)
            {
                WriteHistogram(text, family.Name, series.Labels, histogram);
            }
            else
            {
                WriteSample(text, family.Name, series.Labels, null, series.Value);
            }
        }
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Help text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        return help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Go's float syntax: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, otherwise the shortest round-trip form.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void WriteHistogram(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, PrometheusHistogram histogram)
    {
        long cumulative = 0;
        for (var i = 0; i < histogram.Bounds.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            WriteSample(text, name + "_bucket", labels, FormatValue(histogram.Bounds[i]), cumulative);
        }

        WriteSample(text, name + "_bucket", labels, "+Inf", histogram.Count);
        WriteSample(text, name + "_sum", labels, null, histogram.Sum);
        WriteSample(text, name + "_count", labels, null, histogram.Count);
    }

    private static void WriteSample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                if (!first)
                {
                    text.Append(',');
                }

                text.Append(key).Append("=\"").Append(EscapeLabelValue(labelValue)).Append('"');
                first = false;
            }

            if (le is not null)
            {
                text.Append(first ? string.Empty : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static string TypeName(PrometheusMetricType type) => type switch
    {
        PrometheusMetricType.Counter => "counter",
        PrometheusMetricType.Gauge => "gauge",
        PrometheusMetricType.Histogram => "histogram",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown metric type."),
    };
}
