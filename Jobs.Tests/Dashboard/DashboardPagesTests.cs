using System.Net;
using Jobs.States;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class DashboardPagesTests
{
    private DashboardTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await DashboardTestHost.StartAsync();

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [TestCase("/jobs/", "Overview")]
    [TestCase("/jobs/enqueued", "Enqueued jobs")]
    [TestCase("/jobs/enqueued?queue=default", "Enqueued jobs in queue default")]
    [TestCase("/jobs/scheduled", "Scheduled jobs")]
    [TestCase("/jobs/awaiting", "Awaiting jobs")]
    [TestCase("/jobs/processing", "Processing jobs")]
    [TestCase("/jobs/succeeded", "Succeeded jobs")]
    [TestCase("/jobs/failed", "Boom")]
    [TestCase("/jobs/deleted", "Deleted jobs")]
    [TestCase("/jobs/retries", "Retries")]
    [TestCase("/jobs/recurring", "every day at 03:00")]
    [TestCase("/jobs/recurring/nightly", "Recent runs")]
    [TestCase("/jobs/queues", "default")]
    [TestCase("/jobs/servers", "Servers")]
    [TestCase("/jobs/search?q=DashboardSampleJob", "jobs found")]
    public async Task Get_RendersThePage_WhenJobsExistInEveryState(string path, string expected)
    {
        await SeedAsync();

        var response = await _host.Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain(expected));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
    }

    [Test]
    public async Task JobDetail_ShowsMethodArgumentsHistoryAndException_WhenJobFailed()
    {
        var id = await _host.CreateFailedAsync("report-42", "Disk full");

        var html = await _host.Client.GetStringAsync($"/jobs/job/{id}");

        Assert.That(html, Does.Contain("DashboardSampleJob"));
        Assert.That(html, Does.Contain("report-42"));
        Assert.That(html, Does.Contain("Disk full"));
        Assert.That(html, Does.Contain("History"));
        Assert.That(html, Does.Contain("InvalidOperationException"));
        Assert.That(html, Does.Contain(">Retry</button>"));
    }

    [Test]
    public async Task JobDetail_ShowsTheLastException_WhenTheFailedJobWasRequeued()
    {
        var id = await _host.CreateFailedAsync("again", "Timeout talking to the bank");
        await _host.Jobs.RequeueAsync(id);

        var html = await _host.Client.GetStringAsync($"/jobs/job/{id}");

        Assert.That(html, Does.Contain("Last exception"));
        Assert.That(html, Does.Contain("Timeout talking to the bank"));
    }

    [Test]
    public async Task JobDetail_EncodesArgumentsAndExceptions_WhenTheyContainMarkup()
    {
        var id = await _host.CreateFailedAsync("<script>alert(1)</script>", "<img src=x onerror=alert(2)>");

        var detail = await _host.Client.GetStringAsync($"/jobs/job/{id}");
        var list = await _host.Client.GetStringAsync("/jobs/failed");

        Assert.That(detail, Does.Not.Contain("<script>alert"));
        Assert.That(detail, Does.Not.Contain("<img src=x"));
        Assert.That(list, Does.Not.Contain("<img src=x"));
        Assert.That(detail, Does.Contain("&lt;img src=x"));
    }

    [Test]
    public async Task JobDetail_ShowsContinuations_WhenJobHasOne()
    {
        var parent = await _host.EnqueueAsync("parent");
        var child = await _host.Jobs.ContinueJobWithAsync<DashboardSampleJob>(parent, j => j.Run("child"));

        var html = await _host.Client.GetStringAsync($"/jobs/job/{parent}");

        Assert.That(html, Does.Contain("Continuations"));
        Assert.That(html, Does.Contain($"#{child}"));
    }

    [TestCase("page=x", "page number")]
    [TestCase("page=0", "page number")]
    [TestCase("page=-1", "page number")]
    [TestCase("size=0", "page size")]
    [TestCase("size=100000", "page size")]
    [TestCase("page=99999999&size=500", "too far")]
    [TestCase("page=5002&size=20", "too far")]
    public async Task List_ReturnsAClear400_WhenPagingIsMalformed(string query, string expected)
    {
        var response = await _host.Client.GetAsync("/jobs/failed?" + query);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain(expected));
    }

    [Test]
    public async Task List_ShowsTheSecondPage_WhenSizeIsGiven()
    {
        for (var i = 0; i < 5; i++)
        {
            await _host.CreateFailedAsync("job" + i);
        }

        var html = await _host.Client.GetStringAsync("/jobs/failed?page=2&size=2");

        Assert.That(html, Does.Contain("5 in all, 3 pages"));
        Assert.That(html, Does.Contain("<span class=\"current\">2</span>"));
    }

    [TestCase("/jobs/job/a%20b", HttpStatusCode.BadRequest)]
    [TestCase("/jobs/job/%3Cscript%3E", HttpStatusCode.BadRequest)]
    [TestCase("/jobs/job/999999", HttpStatusCode.NotFound)]
    [TestCase("/jobs/recurring/missing", HttpStatusCode.NotFound)]
    public async Task Detail_ReturnsAClearMessage_WhenIdIsMalformedOrUnknown(string path, HttpStatusCode expected)
    {
        var response = await _host.Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(html, Does.Contain("<h1>"));
        Assert.That(html, Does.Not.Contain("<script>"));
    }

    [TestCase("dashboard.css", "text/css")]
    [TestCase("dashboard.js", "text/javascript")]
    public async Task Asset_IsServedFromTheAssemblyWithCacheHeaders_WhenRequested(string name, string mediaType)
    {
        var response = await _host.Client.GetAsync("/jobs/assets/" + name);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        Assert.That(response.Headers.CacheControl?.MaxAge, Is.GreaterThan(TimeSpan.FromDays(1)));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Not.Empty);
    }

    [Test]
    public async Task Overview_LinksOnlyLocalAssets_WhenRendered()
    {
        var html = await _host.Client.GetStringAsync("/jobs/");

        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"));
        Assert.That(html, Does.Contain("/jobs/assets/dashboard.css"));
        Assert.That(html, Does.Contain("data-live-graph"));
    }

    [Test]
    public async Task Overview_StartsTheLiveGraphFromTheCountersItShows_SoTheFirstPollDrawsAPoint()
    {
        await SeedAsync();

        var html = await _host.Client.GetStringAsync("/jobs/");

        Assert.That(html, Does.Contain("data-succeeded=\"1\" data-failed=\"1\""));
        Assert.That(html, Does.Contain("<span data-live-caption>Counting the jobs that finish from now on.</span>"));
        Assert.That(html, Does.Contain("per 2 seconds over the last 120 seconds"));
    }

    private async Task SeedAsync()
    {
        var enqueued = await _host.EnqueueAsync("queued");
        await _host.Jobs.ScheduleAsync<DashboardSampleJob>(j => j.Run("later"), TimeSpan.FromHours(1));
        await _host.Jobs.ContinueJobWithAsync<DashboardSampleJob>(enqueued, j => j.Run("after"));
        var processing = await _host.EnqueueAsync("running");
        await _host.Jobs.ChangeStateAsync(processing, new ProcessingState("server-1", "worker-1"), EnqueuedState.StateName);
        var succeeded = await _host.EnqueueAsync("done");
        await _host.Jobs.ChangeStateAsync(succeeded, new SucceededState(null, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(120)), EnqueuedState.StateName);
        await _host.CreateFailedAsync("failed", "Boom");
        await _host.Jobs.DeleteAsync(await _host.EnqueueAsync("deleted"));
        await _host.Recurring.AddOrUpdateAsync<DashboardSampleJob>("nightly", j => j.Run("nightly"), "0 3 * * *");
        await _host.Recurring.TriggerAsync("nightly");
    }
}
