using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Jobs.Server.Metrics;

/// <summary>
/// Listens to the instruments <c>include</c> accepts from the moment it is created and renders what they measured in the
/// Prometheus text format on <see cref="Collect"/>; observable instruments are read at that moment.
/// </summary>
internal sealed class PrometheusMetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregator> _instruments = new();
    private readonly Lock _collectLock = new();

    public PrometheusMetricsCollector(Func<Instrument, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (include(instrument) && InstrumentAggregator.Create(instrument) is { } aggregator)
            {
                _instruments[instrument] = aggregator;
                listener.EnableMeasurementEvents(instrument, aggregator);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out var removed);
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every family, sorted by name, in the text format.</summary>
    public string Collect()
    {
        lock (_collectLock)
        {
            foreach (var aggregator in _instruments.Values)
            {
                aggregator.ClearObservations();
            }

            _listener.RecordObservableInstruments();

            // Two instruments with one Prometheus name (say, from two meters) share a family; the first one's help and type win.
            var families = _instruments.Values
                .Select(a => a.ToFamily())
                .GroupBy(f => f.Name, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.First() with { Series = g.Where(f => f.Type == g.First().Type).SelectMany(f => f.Series).ToArray() });
            return PrometheusTextWriter.Write(families);
        }
    }

    public void Dispose() => _listener.Dispose();
}
