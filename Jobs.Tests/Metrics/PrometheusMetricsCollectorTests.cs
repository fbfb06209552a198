using System.Diagnostics.Metrics;
using Jobs.Server.Metrics;

namespace Jobs.Tests.Metrics;

public sealed class PrometheusMetricsCollectorTests
{
    private Meter _meter = null!;
    private PrometheusMetricsCollector _collector = null!;

    [SetUp]
    public void SetUp()
    {
        _meter = new Meter("Jobs.Tests.Collector." + Guid.NewGuid().ToString("N"));
        var meter = _meter;
        _collector = new PrometheusMetricsCollector(instrument => ReferenceEquals(instrument.Meter, meter));
    }

    [TearDown]
    public void TearDown()
    {
        _collector.Dispose();
        _meter.Dispose();
    }

    [Test]
    public void Collect_SumsACounterPerTagSet_WhateverTheTagOrder()
    {
        var counter = _meter.CreateCounter<long>("work.done", "{item}", "Work done.");
        counter.Add(2, new("queue", "a"), new("kind", "x"));
        counter.Add(3, new("kind", "x"), new("queue", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("queue", "b"));

        var text = _collector.Collect();

        Assert.That(text, Does.Contain("# TYPE work_done_total counter\n"));
        Assert.That(text, Does.Contain("work_done_total{kind=\"x\",queue=\"a\"} 5\n"));
        Assert.That(text, Does.Contain("work_done_total{queue=\"b\"} 1\n"));
    }

    [Test]
    public void Collect_CountsAValueOnABoundInThatBoundsBucket_ForAHistogram()
    {
        var histogram = _meter.CreateHistogram("wait", "s", "Waits.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5] });
        histogram.Record(1);
        histogram.Record(0.5);
        histogram.Record(7);

        var text = _collector.Collect();

        Assert.That(text, Does.Contain(
            "wait_seconds_bucket{le=\"1\"} 2\n" +
            "wait_seconds_bucket{le=\"5\"} 2\n" +
            "wait_seconds_bucket{le=\"+Inf\"} 3\n" +
            "wait_seconds_sum 8.5\n" +
            "wait_seconds_count 3\n"));
    }

    [Test]
    public void Collect_ReadsObservableGaugesEachTime_AndDropsSeriesNoLongerReported()
    {
        var queues = new Dictionary<string, long> { ["a"] = 4, ["b"] = 1 };
        _meter.CreateObservableGauge("queue.length", () => queues.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))).ToArray());

        var first = _collector.Collect();
        queues.Remove("b");
        queues["a"] = 0;
        var second = _collector.Collect();

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain("queue_length{queue=\"a\"} 4\n").And.Contain("queue_length{queue=\"b\"} 1\n"));
            Assert.That(second, Does.Contain("queue_length{queue=\"a\"} 0\n").And.Not.Contain("queue=\"b\""));
        });
    }

    [Test]
    public void Collect_IgnoresInstrumentsOfOtherMeters()
    {
        using var other = new Meter("Jobs.Tests.Collector.Other");
        other.CreateCounter<long>("other.count").Add(1);
        _meter.CreateCounter<long>("mine.count").Add(1);

        var text = _collector.Collect();

        Assert.That(text, Does.Contain("mine_count_total 1").And.Not.Contain("other_count"));
    }

    [Test]
    public void Collect_ForgetsInstruments_WhenTheirMeterIsDisposed()
    {
        _meter.CreateCounter<long>("gone.count").Add(1);
        _meter.Dispose();

        Assert.That(_collector.Collect(), Does.Not.Contain("gone_count"));
    }
}
