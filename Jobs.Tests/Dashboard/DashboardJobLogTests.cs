using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Dashboard;

/// <summary>The "Log" section of a job's page and <c>api/jobs/{id}/log</c>, its live tail.</summary>
[TestFixture]
public sealed class DashboardJobLogTests
{
    private static readonly DateTimeOffset LineTime = new(2026, 5, 4, 3, 2, 1, 123, TimeSpan.Zero);

    private DashboardTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await DashboardTestHost.StartAsync();

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task JobPage_ShowsTheLogLinesEscaped_WhenTheJobWroteSome()
    {
        var id = await _host.CreateFailedAsync();
        await AppendAsync(id, (LogLevel.Information, "Reading <b>orders</b> & \"more\""), (LogLevel.Error, "<script>alert(1)</script>"));

        var html = await _host.Client.GetStringAsync($"/jobs/job/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<h2>Log</h2>"));
            Assert.That(html, Does.Contain("2026-05-04 03:02:01.123"));
            Assert.That(html, Does.Contain(">Information<").And.Contain(">Error<"));
            Assert.That(html, Does.Contain("Reading &lt;b&gt;orders&lt;/b&gt; &amp; &quot;more&quot;"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
            Assert.That(html, Does.Not.Contain("<script>alert"));
            Assert.That(html, Does.Not.Contain("data-state=\"Processing\""), "a finished job's page is not tailed");
        });
    }

    [Test]
    public async Task JobPage_OffersALiveTail_WhenTheJobIsProcessing()
    {
        var id = await _host.EnqueueAsync();
        await _host.Storage.FetchNextAsync(new FetchRequest(["default"], 1, "server-1"), CancellationToken.None);
        await AppendAsync(id, (LogLevel.Information, "first"), (LogLevel.Information, "second"));
        var last = (await _host.Storage.Monitoring.GetJobLogAsync(id, 0, 10, CancellationToken.None))[^1].Sequence;

        var html = await _host.Client.GetStringAsync($"/jobs/job/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("data-job-log"));
            Assert.That(html, Does.Contain("data-state=\"Processing\""));
            Assert.That(html, Does.Contain($"data-log-url=\"/jobs/api/jobs/{id}/log\""));
            Assert.That(html, Does.Contain($"data-after=\"{last}\""));
            Assert.That(html, Does.Contain("/jobs/assets/dashboard.js"));
        });
    }

    [Test]
    public async Task JobPage_HasNoLogSection_WhenAFinishedJobWroteNothing()
    {
        var id = await _host.CreateFailedAsync();

        var html = await _host.Client.GetStringAsync($"/jobs/job/{id}");

        Assert.That(html, Does.Not.Contain("<h2>Log</h2>"));
    }

    [Test]
    public async Task DashboardScript_TailsTheLogOfARunningJob()
    {
        var script = await _host.Client.GetStringAsync("/jobs/assets/dashboard.js");

        Assert.Multiple(() =>
        {
            Assert.That(script, Does.Contain("[data-job-log]"));
            Assert.That(script, Does.Contain("'?after='"));
            Assert.That(script, Does.Contain("textContent = text"), "lines are inserted as text, never as HTML");
            Assert.That(script, Does.Contain("window.location.reload()"));
        });
    }

    [Test]
    public async Task LogApi_ReturnsTheLinesAfterN_AndTheJobsState()
    {
        var id = await _host.EnqueueAsync();
        await AppendAsync(id, (LogLevel.Information, "one"), (LogLevel.Warning, "two"), (LogLevel.Information, "three"));
        var all = await _host.Client.GetFromJsonAsync<JsonElement>($"/jobs/api/jobs/{id}/log");
        var first = all.GetProperty("lines")[0].GetProperty("sequence").GetInt64();

        var after = await _host.Client.GetFromJsonAsync<JsonElement>($"/jobs/api/jobs/{id}/log?after={first}");
        var lines = after.GetProperty("lines").EnumerateArray().ToList();
        var nothingNew = await _host.Client.GetFromJsonAsync<JsonElement>($"/jobs/api/jobs/{id}/log?after={after.GetProperty("last").GetInt64()}");

        Assert.Multiple(() =>
        {
            Assert.That(all.GetProperty("lines").GetArrayLength(), Is.EqualTo(3));
            Assert.That(after.GetProperty("state").GetString(), Is.EqualTo(EnqueuedState.StateName));
            Assert.That(lines.Select(l => l.GetProperty("message").GetString()), Is.EqualTo(new[] { "two", "three" }));
            Assert.That(lines[0].GetProperty("level").GetString(), Is.EqualTo("Warning"));
            Assert.That(lines[0].GetProperty("time").GetString(), Does.StartWith("2026-05-04T03:02:01.124"));
            Assert.That(after.GetProperty("last").GetInt64(), Is.EqualTo(lines[1].GetProperty("sequence").GetInt64()));
            Assert.That(after.GetProperty("more").GetBoolean(), Is.False);
            Assert.That(nothingNew.GetProperty("lines").GetArrayLength(), Is.Zero);
            Assert.That(nothingNew.GetProperty("last").GetInt64(), Is.EqualTo(after.GetProperty("last").GetInt64()));
        });
    }

    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("")]
    [TestCase("99999999999999999999999")]
    public async Task LogApi_Returns400NamingAfter_WhenAfterIsMalformed(string after)
    {
        var id = await _host.EnqueueAsync();

        var response = await _host.Client.GetAsync($"/jobs/api/jobs/{id}/log?after={Uri.EscapeDataString(after)}");
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(error, Does.Contain("'after'").And.Contain("sequence number of the last line read"));
    }

    [TestCase("/jobs/api/jobs/424242/log", HttpStatusCode.NotFound)]
    [TestCase("/jobs/api/jobs/a%20b/log", HttpStatusCode.BadRequest)]
    public async Task LogApi_ReturnsAClearError_WhenTheJobIsUnknownOrItsIdMalformed(string path, HttpStatusCode expected)
    {
        var response = await _host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task LogApi_Returns403_WhenLocalOnlyAndTheRequestIsRemote()
    {
        var id = await _host.EnqueueAsync();
        await AppendAsync(id, (LogLevel.Information, "secret"));
        using var remote = _host.CreateClient("203.0.113.7");

        var response = await remote.GetAsync($"/jobs/api/jobs/{id}/log");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("secret"));
    }

    [TestCase(null, null, HttpStatusCode.Unauthorized)]
    [TestCase("mallory", "", HttpStatusCode.Forbidden)]
    [TestCase("val", "viewer", HttpStatusCode.OK)]
    public async Task LogApi_IsAuthorizedLikeTheRestOfTheApi_WhenPoliciesAreSet(string? user, string? roles, HttpStatusCode expected)
    {
        await using var host = await DashboardTestHost.StartAsync(
            o =>
            {
                o.ViewerPolicy = "JobsViewer";
                o.AdminPolicy = "JobsAdmin";
            },
            remoteAddress: "203.0.113.7",
            withAuthentication: true);
        var id = await host.EnqueueAsync();
        if (user is not null)
        {
            host.Client.DefaultRequestHeaders.Add("X-Test-User", user);
            host.Client.DefaultRequestHeaders.Add("X-Test-Roles", roles);
        }

        var log = await host.Client.GetAsync($"/jobs/api/jobs/{id}/log");
        var job = await host.Client.GetAsync($"/jobs/api/jobs/{id}");

        Assert.That(log.StatusCode, Is.EqualTo(expected));
        Assert.That(log.StatusCode, Is.EqualTo(job.StatusCode), "the same answer as api/jobs/{id}");
    }

    private Task AppendAsync(string id, params (LogLevel Level, string Message)[] lines) =>
        _host.Storage.AppendJobLogAsync(
            [new JobLogAppend(id, lines.Select((l, i) => new NewJobLogLine(LineTime.AddMilliseconds(i), l.Level, l.Message)).ToList())],
            1000,
            CancellationToken.None);
}
