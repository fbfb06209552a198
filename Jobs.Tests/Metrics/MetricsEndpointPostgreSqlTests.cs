using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Jobs.Tests.Health;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Metrics;

/// <summary>/metrics of Jobs.Server on real PostgreSQL: jobs run, the scrape shows what happened.</summary>
public sealed class MetricsEndpointPostgreSqlTests
{
    private string? _schema;

    [TearDown]
    public async Task DropSchema()
    {
        if (_schema is not null)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
        }
    }

    [Test]
    public async Task Metrics_ShowsCountersHistogramAndGauges_AfterOneJobSucceededAndOneFailed()
    {
        var connectionString = TestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        await using var factory = JobsServerHost.Create(JobsServerHost.PostgreSqlSettings(connectionString, _schema));
        using var http = factory.CreateClient();
        var client = factory.Services.GetRequiredService<IBackgroundJobClient>();

        await client.EnqueueAsync(() => MetricsTestJobs.Succeed());
        await client.EnqueueAsync(() => MetricsTestJobs.FailForGood());

        // Counters move as the outcomes are stored; the gauges follow within the statistics' 5 s cache.
        var text = await MetricsPoll.UntilAsync(
            () => http.GetStringAsync("/metrics"),
            t => Value(t, "jobs_processed_total") == 2 && Value(t, "jobs_in_state{state=\"failed\"}") == 1 && Value(t, "jobs_in_state{state=\"succeeded\"}") == 1,
            "both jobs to show in /metrics");
        await TestContext.Out.WriteLineAsync(text);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("# TYPE jobs_processed_total counter\n"));
            Assert.That(Value(text, "jobs_enqueued_total{queue=\"default\"}"), Is.EqualTo(2));
            Assert.That(Value(text, "jobs_succeeded_total"), Is.EqualTo(1));
            Assert.That(Value(text, "jobs_failed_total{final=\"true\"}"), Is.EqualTo(1));
            Assert.That(text, Does.Not.Contain("jobs_failed_total{final=\"false\"}"), "no retry was scheduled");
            Assert.That(text, Does.Contain("# TYPE jobs_duration_seconds histogram\n"));
            Assert.That(Value(text, "jobs_duration_seconds_count{outcome=\"succeeded\",queue=\"default\"}"), Is.EqualTo(1));
            Assert.That(Value(text, "jobs_duration_seconds_bucket{outcome=\"failed\",queue=\"default\",le=\"+Inf\"}"), Is.EqualTo(1));
            Assert.That(Value(text, "jobs_queue_length{queue=\"default\"}"), Is.Zero);
            Assert.That(Value(text, "jobs_in_state{state=\"enqueued\"}"), Is.Zero);
            Assert.That(Value(text, "jobs_servers"), Is.EqualTo(1));
            Assert.That(text, Does.Contain("# TYPE dotnet_gc_collections_total counter\n"), "the runtime's own metrics");
        });
    }

    [Test]
    public async Task Metrics_AnswersInTheTextFormatVersion004()
    {
        await using var factory = JobsServerHost.Create(new Dictionary<string, string?> { ["ConnectionStrings:Jobs"] = string.Empty });
        using var http = factory.CreateClient();

        var response = await http.GetAsync("/metrics");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("# TYPE jobs_in_state gauge\n"));
    }

    /// <summary>The value of the sample named exactly <paramref name="series"/> (name and labels), or null when absent.</summary>
    private static double? Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }
}
