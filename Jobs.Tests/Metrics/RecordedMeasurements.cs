using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Jobs.Tests.Metrics;

/// <summary>A <see cref="MeterListener"/> that keeps every measurement of one meter's instruments.</summary>
internal sealed class RecordedMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();

    public RecordedMeasurements(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measured.Enqueue(new Measured(instrument.Name, value, ToDictionary(tags))));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measured.Enqueue(new Measured(instrument.Name, value, ToDictionary(tags))));
        _listener.Start();
    }

    /// <summary>Calls the observable instruments' callbacks; their measurements are recorded like the others.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public IReadOnlyList<Measured> Of(string instrument) => _measured.Where(m => m.Instrument == instrument).ToArray();

    /// <summary>The sum of an instrument's measurements whose tags include <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Of(instrument).Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private static Dictionary<string, string?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value?.ToString();
        }

        return result;
    }

    internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);
}
