using System.Text;
using Jobs.Server.Metrics;

namespace Jobs.Tests.Metrics;

public sealed class PrometheusTextWriterTests
{
    [Test]
    public void Write_EscapesBackslashQuoteAndNewline_WhenALabelValueHoldsThem()
    {
        var family = new PrometheusMetricFamily("jobs_enqueued_total", "Jobs.", PrometheusMetricType.Counter,
            [new PrometheusSeries([new("queue", "a\\b\"c\nd")], 3)]);

        var text = PrometheusTextWriter.Write([family]);

        Assert.That(text, Does.Contain("jobs_enqueued_total{queue=\"a\\\\b\\\"c\\nd\"} 3\n"));
    }

    [Test]
    public void Write_EscapesBackslashAndNewlineButNotQuotes_InHelp()
    {
        var family = new PrometheusMetricFamily("m", "line one\nsays \"C:\\temp\"", PrometheusMetricType.Gauge, []);

        var text = PrometheusTextWriter.Write([family]);

        Assert.That(text, Is.EqualTo("# HELP m line one\\nsays \"C:\\\\temp\"\n# TYPE m gauge\n"));
    }

    [Test]
    public void Write_WritesHelpTypeAndSamples_ForCountersAndGauges()
    {
        var families = new[]
        {
            new PrometheusMetricFamily("jobs_processed_total", "Performances.", PrometheusMetricType.Counter, [new PrometheusSeries([], 2)]),
            new PrometheusMetricFamily("jobs_in_state", "Jobs stored in each state.", PrometheusMetricType.Gauge,
                [new PrometheusSeries([new("state", "failed")], 1), new PrometheusSeries([new("state", "succeeded")], 0.5)]),
        };

        var text = PrometheusTextWriter.Write(families);

        Assert.That(text, Is.EqualTo(
            "# HELP jobs_processed_total Performances.\n" +
            "# TYPE jobs_processed_total counter\n" +
            "jobs_processed_total 2\n" +
            "# HELP jobs_in_state Jobs stored in each state.\n" +
            "# TYPE jobs_in_state gauge\n" +
            "jobs_in_state{state=\"failed\"} 1\n" +
            "jobs_in_state{state=\"succeeded\"} 0.5\n"));
    }

    [Test]
    public void Write_WritesCumulativeBucketsInfSumAndCount_ForAHistogram()
    {
        var histogram = new PrometheusHistogram([0.1, 1, 10], [2, 0, 3, 1], Sum: 27.25, Count: 6);
        var family = new PrometheusMetricFamily("jobs_duration_seconds", "Durations.", PrometheusMetricType.Histogram,
            [new PrometheusSeries([new("outcome", "failed"), new("queue", "default")], 27.25, histogram)]);

        var text = PrometheusTextWriter.Write([family]);

        Assert.That(text, Is.EqualTo(
            "# HELP jobs_duration_seconds Durations.\n" +
            "# TYPE jobs_duration_seconds histogram\n" +
            "jobs_duration_seconds_bucket{outcome=\"failed\",queue=\"default\",le=\"0.1\"} 2\n" +
            "jobs_duration_seconds_bucket{outcome=\"failed\",queue=\"default\",le=\"1\"} 2\n" +
            "jobs_duration_seconds_bucket{outcome=\"failed\",queue=\"default\",le=\"10\"} 5\n" +
            "jobs_duration_seconds_bucket{outcome=\"failed\",queue=\"default\",le=\"+Inf\"} 6\n" +
            "jobs_duration_seconds_sum{outcome=\"failed\",queue=\"default\"} 27.25\n" +
            "jobs_duration_seconds_count{outcome=\"failed\",queue=\"default\"} 6\n"));
    }

    [Test]
    public void Write_PutsLeAlone_WhenAHistogramHasNoLabels()
    {
        var text = new StringBuilder();
        PrometheusTextWriter.WriteFamily(text, new PrometheusMetricFamily("h", "H.", PrometheusMetricType.Histogram,
            [new PrometheusSeries([], 0, new PrometheusHistogram([1], [0, 0], 0, 0))]));

        Assert.That(text.ToString(), Does.Contain("h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n"));
    }

    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NegativeInfinity, "-Inf")]
    [TestCase(double.NaN, "NaN")]
    [TestCase(0.1, "0.1")]
    [TestCase(1e21, "1E+21")]
    [TestCase(-3.0, "-3")]
    public void FormatValue_UsesPrometheusFloatSyntax(double value, string expected) =>
        Assert.That(PrometheusTextWriter.FormatValue(value), Is.EqualTo(expected));

    [TestCase("jobs.duration", "s", "Histogram", "jobs_duration_seconds")]
    [TestCase("jobs.processed", "{job}", "Counter", "jobs_processed_total")]
    [TestCase("dotnet.gc.heap.total_allocated", "By", "Counter", "dotnet_gc_heap_total_allocated_bytes_total")]
    [TestCase("jobs.queue.length", "{job}", "Gauge", "jobs_queue_length")]
    [TestCase("requests_total", null, "Counter", "requests_total")]
    [TestCase("9lives-per.cat", null, "Gauge", "_9lives_per_cat")]
    public void Metric_ConvertsInstrumentNames(string instrument, string? unit, string type, string expected) =>
        Assert.That(PrometheusNames.Metric(instrument, unit, Enum.Parse<PrometheusMetricType>(type)), Is.EqualTo(expected));

    [Test]
    public void Label_ReplacesCharactersPrometheusDoesNotAllow() =>
        Assert.That(PrometheusNames.Label("error.type:x"), Is.EqualTo("error_type_x"));
}
