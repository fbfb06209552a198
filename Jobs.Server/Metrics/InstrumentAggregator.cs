using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Jobs.Server.Metrics;

/// <summary>
/// What one instrument has measured, per tag set: the running sum of a counter, the last value of a gauge or an
/// observable instrument, or the buckets, sum and count of a histogram.
/// </summary>
internal sealed class InstrumentAggregator
{
    /// <summary>Buckets of a histogram in seconds without advice: OpenTelemetry's defaults for durations.</summary>
    private static readonly double[] DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>Buckets of any other histogram without advice: OpenTelemetry's defaults.</summary>
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<string, SeriesState> _series = new(StringComparer.Ordinal);
    private readonly bool _adds;
    private readonly bool _observable;
    private readonly double[]? _bounds;

    private InstrumentAggregator(Instrument instrument, PrometheusMetricType type, bool adds, double[]? bounds)
    {
        Type = type;
        _adds = adds;
        _bounds = bounds;
        Name = PrometheusNames.Metric(instrument.Name, instrument.Unit, type);
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        _observable = instrument.IsObservable;
    }

    public string Name { get; }

    public string Help { get; }

    public PrometheusMetricType Type { get; }

    /// <summary>An aggregator for the instrument, or null for a kind the text format has no type for.</summary>
    public static InstrumentAggregator? Create(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var kind = instrument.GetType() is { IsGenericType: true } type ? type.GetGenericTypeDefinition() : null;
        if (kind == typeof(Counter<>))
        {
            return new(instrument, PrometheusMetricType.Counter, adds: true, bounds: null);
        }

        if (kind == typeof(ObservableCounter<>))
        {
            return new(instrument, PrometheusMetricType.Counter, adds: false, bounds: null);
        }

        if (kind == typeof(UpDownCounter<>))
        {
            return new(instrument, PrometheusMetricType.Gauge, adds: true, bounds: null);
        }

        if (kind == typeof(ObservableUpDownCounter<>) || kind == typeof(ObservableGauge<>) || kind == typeof(Gauge<>))
        {
            return new(instrument, PrometheusMetricType.Gauge, adds: false, bounds: null);
        }

        if (kind == typeof(Histogram<>))
        {
            return new(instrument, PrometheusMetricType.Histogram, adds: true, HistogramBounds(instrument));
        }

        return null;
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var key = Key(labels);
        var series = _series.GetOrAdd(key, static (_, state) => new SeriesState(state.Labels, state.Bounds), (Labels: labels, Bounds: _bounds));
        series.Record(value, _adds);
    }

    /// <summary>Forgets the values of an observable instrument before its callback reports them again, so series it no longer reports disappear.</summary>
    public void ClearObservations()
    {
        if (_observable)
        {
            _series.Clear();
        }
    }

    public PrometheusMetricFamily ToFamily() =>
        new(Name, Help, Type, _series.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.ToSeries()).ToArray());

    private static double[] HistogramBounds(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advised is { Count: > 0 } ? [.. advised] : instrument.Unit == "s" ? DefaultSecondsBuckets : DefaultBuckets;
    }

    private static KeyValuePair<string, string>[] Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return [];
        }

        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(PrometheusNames.Label(tags[i].Key), LabelValue(tags[i].Value));
        }

        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Key(KeyValuePair<string, string>[] labels)
    {
        if (labels.Length == 0)
        {
            return string.Empty;
        }

        var key = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            key.Append(name).Append('\0').Append(value).Append('\0');
        }

        return key.ToString();
    }

    private sealed class SeriesState
    {
        private readonly Lock _lock = new();
        private readonly KeyValuePair<string, string>[] _labels;
        private readonly double[]? _bounds;
        private readonly long[]? _buckets;
        private double _value;
        private long _count;

        public SeriesState(KeyValuePair<string, string>[] labels, double[]? bounds)
        {
            _labels = labels;
            _bounds = bounds;
            _buckets = bounds is null ? null : new long[bounds.Length + 1];
        }

        public void Record(double value, bool adds)
        {
            lock (_lock)
            {
                if (_bounds is not null)
                {
                    // Prometheus buckets are "less than or equal": a value on a bound belongs to that bound's bucket.
                    var index = Array.BinarySearch(_bounds, value);
                    _buckets![index >= 0 ? index : ~index]++;
                    _count++;
                    _value += value;
                }
                else if (adds)
                {
                    _value += value;
                }
                else
                {
                    _value = value;
                }
            }
        }

        public PrometheusSeries ToSeries()
        {
            lock (_lock)
            {
                return _bounds is null
                    ? new PrometheusSeries(_labels, _value)
                    : new PrometheusSeries(_labels, _value, new PrometheusHistogram(_bounds, [.. _buckets!], _value, _count));
            }
        }
    }
}
