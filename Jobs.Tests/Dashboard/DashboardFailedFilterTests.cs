using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Tests.Dashboard;

/// <summary>
/// The Failed list's filter and the actions on every matching failed job, through the pages and the JSON API; run
/// against each storage by a subclass.
/// </summary>
public abstract class DashboardFailedFilterTests
{
    private DashboardTestHost _host = null!;

    /// <summary>The PostgreSQL schema to run in; null: the in-memory storage.</summary>
    protected abstract string? CreateSchema();

    protected virtual Task DropSchemaAsync(string schema) => Task.CompletedTask;

    private string? _schema;

    [SetUp]
    public async Task SetUp()
    {
        _schema = CreateSchema();
        _host = await DashboardTestHost.StartAsync(postgreSqlSchema: _schema);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.DisposeAsync();
        if (_schema is not null)
        {
            await DropSchemaAsync(_schema);
        }
    }

    [Test]
    public async Task FailedPage_ListsOnlyMatchingJobs_AndPagingKeepsTheFilter()
    {
        var reports = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            reports.Add(await CreateFailedReportAsync($"customer-{i}", new TimeoutException("Slow")));
        }

        var run = await _host.CreateFailedAsync("other", "Disk full");

        var first = WebUtility.HtmlDecode(await _host.Client.GetStringAsync("/jobs/failed?method=sampleJob.report&size=2"));
        var second = WebUtility.HtmlDecode(await _host.Client.GetStringAsync("/jobs/failed?method=sampleJob.report&size=2&page=2"));
        var byException = WebUtility.HtmlDecode(await _host.Client.GetStringAsync("/jobs/failed?exception=InvalidOperation"));

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain($"#{reports[2]}<").And.Contain($"#{reports[1]}<"));
            Assert.That(first, Does.Not.Contain($"#{reports[0]}<").And.Not.Contain($"#{run}<"));
            Assert.That(first, Does.Contain("3 failed jobs matching method 'sampleJob.report'"));
            Assert.That(first, Does.Contain("page=2&size=2&method=sampleJob.report"));
            Assert.That(first, Does.Contain("value=\"sampleJob.report\""), "the form shows the filter");
            Assert.That(second, Does.Contain($"#{reports[0]}<").And.Not.Contain($"#{run}<"));
            Assert.That(byException, Does.Contain($"#{run}<").And.Not.Contain($"#{reports[0]}<"));
            Assert.That(first, Does.Contain("Retry all 3 matching").And.Contain("Delete all 3 matching"));
        });
    }

    [Test]
    public async Task RetryAllMatching_RequeuesExactlyTheMatchingFailedJobs_AcrossPagesAndBatches()
    {
        var reports = await CreateManyFailedAsync(600, report: true);
        var runs = await CreateManyFailedAsync(600, report: false);

        var response = await _host.PostFormAsync(
            "/jobs/actions/failed/requeue", ("method", "DashboardSampleJob.Report"), ("exception", ""), ("queue", ""), ("returnUrl", "/jobs/failed?method=DashboardSampleJob.Report"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("Requeued 600 failed jobs matching method 'DashboardSampleJob.Report'."));
        var monitoring = _host.Storage.Monitoring;
        Assert.That(await monitoring.CountFailedJobsAsync(new FailedJobFilter(Method: "Report"), 10_000, default), Is.EqualTo(new LimitedCount(0, false)));
        Assert.That(await monitoring.CountFailedJobsAsync(FailedJobFilter.None, 10_000, default), Is.EqualTo(new LimitedCount(600, false)));
        Assert.That(await _host.StateOfAsync(reports[0]), Is.EqualTo(EnqueuedState.StateName));
        Assert.That(await _host.StateOfAsync(reports[^1]), Is.EqualTo(EnqueuedState.StateName));
        Assert.That(await _host.StateOfAsync(runs[0]), Is.EqualTo(FailedState.StateName));
        Assert.That(await _host.StateOfAsync(runs[^1]), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task FailedPage_SaysMoreThanTheLimit_AndRetryAllStillRequeuesEveryMatch_WhenTheCountStopsAtItsLimit()
    {
        var schema = CreateSchema();
        try
        {
            await using var host = await DashboardTestHost.StartAsync(o => o.FailedCountLimit = 3, postgreSqlSchema: schema);
            var reports = await CreateManyFailedAsync(5, report: true, host);
            var runs = await CreateManyFailedAsync(2, report: false, host);
            const string Filter = "method=DashboardSampleJob.Report";

            var first = WebUtility.HtmlDecode(await host.Client.GetStringAsync($"/jobs/failed?{Filter}&size=2"));
            var second = WebUtility.HtmlDecode(await host.Client.GetStringAsync($"/jobs/failed?{Filter}&size=2&page=2"));
            var last = WebUtility.HtmlDecode(await host.Client.GetStringAsync($"/jobs/failed?{Filter}&size=2&page=3"));
            var listed = await host.Client.GetFromJsonAsync<JsonElement>($"/jobs/api/jobs?state=failed&{Filter}");
            var all = await host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/jobs?state=failed");

            Assert.Multiple(() =>
            {
                Assert.That(first, Does.Contain("More than 3 failed jobs matching method 'DashboardSampleJob.Report'"));
                Assert.That(first, Does.Contain("Retry all 3+ matching").And.Contain("Delete all 3+ matching"));
                Assert.That(first, Does.Contain("more than 3 in all").And.Contain($"page=2&size=2&{Filter}"));
                Assert.That(second, Does.Contain($"page=3&size=2&{Filter}"), "a full page past the count links to the next one");
                Assert.That(last, Does.Contain($"#{reports[0]}<").And.Not.Contain($"page=4&size=2&{Filter}"), "the last page ends the list");
                Assert.That(listed.GetProperty("total").GetInt64(), Is.EqualTo(3));
                Assert.That(listed.GetProperty("totalIsLowerBound").GetBoolean(), Is.True);
                Assert.That(all.GetProperty("total").GetInt64(), Is.EqualTo(7), "without a filter the counter is exact");
                Assert.That(all.GetProperty("totalIsLowerBound").GetBoolean(), Is.False);
            });

            var response = await host.PostFormAsync(
                "/jobs/actions/failed/requeue", ("method", "DashboardSampleJob.Report"), ("exception", ""), ("queue", ""), ("returnUrl", $"/jobs/failed?{Filter}"));

            Assert.That(await host.FlashAfterAsync(response), Is.EqualTo("Requeued 5 failed jobs matching method 'DashboardSampleJob.Report'."));
            Assert.That(await host.StateOfAsync(reports[0]), Is.EqualTo(EnqueuedState.StateName));
            Assert.That(await host.StateOfAsync(reports[^1]), Is.EqualTo(EnqueuedState.StateName));
            Assert.That(await host.StateOfAsync(runs[0]), Is.EqualTo(FailedState.StateName));
        }
        finally
        {
            if (schema is not null)
            {
                await DropSchemaAsync(schema);
            }
        }
    }

    [Test]
    public async Task DeleteAllMatching_DeletesEveryFailedJob_WhenThereIsNoFilter()
    {
        var failed = await CreateManyFailedAsync(3, report: false);
        var enqueued = await _host.EnqueueAsync("waiting");

        var response = await _host.PostFormAsync("/jobs/actions/failed/delete", ("returnUrl", "/jobs/failed"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("Deleted 3 failed jobs (all failed jobs, no filter)."));
        Assert.That(await _host.StateOfAsync(failed[1]), Is.EqualTo(DeletedState.StateName));
        Assert.That(await _host.StateOfAsync(enqueued), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Api_DeletesMatchingFailedJobs_WhenTheAntiforgeryHeaderIsSent()
    {
        var timeout = await CreateFailedReportAsync("acme", new TimeoutException("Slow"));
        var other = await _host.CreateFailedAsync();

        var response = await PostApiAsync("/jobs/api/failed/delete?exception=timeout", withToken: true);
        var listed = await _host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/jobs?state=failed&exception=InvalidOperation");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), Is.EqualTo("Deleted 1 failed job matching exception 'timeout'."));
        Assert.That(await _host.StateOfAsync(timeout), Is.EqualTo(DeletedState.StateName));
        Assert.That(await _host.StateOfAsync(other), Is.EqualTo(FailedState.StateName));
        Assert.That(listed.GetProperty("total").GetInt64(), Is.EqualTo(1));
        Assert.That(listed.GetProperty("jobs")[0].GetProperty("id").GetString(), Is.EqualTo(other));
    }

    [Test]
    public async Task MatchingActions_ChangeNothing_WhenTheAntiforgeryTokenIsMissing()
    {
        var id = await _host.CreateFailedAsync();

        var form = await _host.Client.PostAsync("/jobs/actions/failed/requeue", new FormUrlEncodedContent([]));
        var api = await PostApiAsync("/jobs/api/failed/delete", withToken: false);

        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task MatchingActions_AreRefusedToViewers_AndChangeNothing()
    {
        await using var host = await DashboardTestHost.StartAsync(
            o =>
            {
                o.ViewerPolicy = "JobsViewer";
                o.AdminPolicy = "JobsAdmin";
            },
            remoteAddress: "203.0.113.7",
            withAuthentication: true);
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "val");
        host.Client.DefaultRequestHeaders.Add("X-Test-Roles", "viewer");
        var id = await host.CreateFailedAsync();

        var page = await host.Client.GetStringAsync("/jobs/failed");
        var token = await host.GetTokenAsync();
        var form = await host.Client.PostAsync("/jobs/actions/failed/requeue", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs/api/failed/delete");
        request.Headers.Add("RequestVerificationToken", token);
        var api = await host.Client.SendAsync(request);

        Assert.That(page, Does.Not.Contain("Retry all"));
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [TestCase("/jobs/failed?queue=Not%20a%20queue", "is not a queue name")]
    [TestCase("/jobs/failed?method=a&method=b", "The 'method' filter is given 2 times")]
    [TestCase("/jobs/failed?exception=line%0Abreak", "control character")]
    public async Task FailedPage_Returns400WithTheProblem_WhenTheFilterIsMalformed(string url, string expected)
    {
        var response = await _host.Client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), Does.Contain(expected));
    }

    [Test]
    public async Task Api_Returns400AndChangesNothing_WhenTheFilterIsMalformed()
    {
        var id = await _host.CreateFailedAsync();
        var tooLong = new string('x', FailedJobFilter.MaxTextLength + 1);

        var action = await PostApiAsync("/jobs/api/failed/requeue?queue=BAD!", withToken: true);
        var list = await _host.Client.GetAsync($"/jobs/api/jobs?state=failed&method={tooLong}");

        Assert.That(action.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await action.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(),
            Is.EqualTo("'BAD!' is not a queue name: use 1 to 50 lower-case letters, digits, '_' or '-'. Nothing was changed."));
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Does.Contain($"at most {FailedJobFilter.MaxTextLength}"));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    private async Task<HttpResponseMessage> PostApiAsync(string url, bool withToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (withToken)
        {
            var antiforgery = await _host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/antiforgery");
            request.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());
        }

        return await _host.Client.SendAsync(request);
    }

    private async Task<string> CreateFailedReportAsync(string customer, Exception exception)
    {
        var id = await _host.Jobs.EnqueueAsync<DashboardSampleJob>(j => j.Report(customer));
        var applied = await _host.Storage.ChangeStatesAsync([new StateChange(id, new FailedState(exception)) { ExpectedStates = ["Enqueued"] }], CancellationToken.None);
        Assert.That(applied[0], Is.True);
        return id;
    }

    /// <summary>Failed jobs of one method, moved to Failed in one batch (through the client the retry filter would schedule them instead).</summary>
    private async Task<List<string>> CreateManyFailedAsync(int count, bool report, DashboardTestHost? on = null)
    {
        var host = on ?? _host;
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var text = "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ids.Add(report
                ? await host.Jobs.EnqueueAsync<DashboardSampleJob>(j => j.Report(text))
                : await host.EnqueueAsync(text));
        }

        var applied = await host.Storage.ChangeStatesAsync(
            ids.Select(id => new StateChange(id, new FailedState(new InvalidOperationException("Outage"))) { ExpectedStates = ["Enqueued"] }).ToList(),
            CancellationToken.None);
        Assert.That(applied.All(a => a), Is.True);
        return ids;
    }
}
