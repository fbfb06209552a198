using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.States;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class DashboardApiTests
{
    private DashboardTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await DashboardTestHost.StartAsync();

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Stats_ReturnsTheCountsPerState_WhenJobsExist()
    {
        await _host.CreateFailedAsync();
        await _host.EnqueueAsync();

        var stats = await _host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/stats");

        Assert.That(stats.GetProperty("failed").GetInt64(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("enqueued").GetInt64(), Is.EqualTo(1));
    }

    [TestCase("/jobs/api/status")]
    [TestCase("/jobs/api/jobs?state=failed")]
    [TestCase("/jobs/api/jobs?state=retries")]
    [TestCase("/jobs/api/recurring")]
    [TestCase("/jobs/api/servers")]
    [TestCase("/jobs/api/queues")]
    [TestCase("/jobs/api/search?q=Dashboard")]
    public async Task Read_ReturnsJson_WhenAllowed(string path)
    {
        await _host.CreateFailedAsync();

        var response = await _host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Job_ReturnsTheDetails_WhenItExists()
    {
        var id = await _host.CreateFailedAsync();

        var job = await _host.Client.GetFromJsonAsync<JsonElement>($"/jobs/api/jobs/{id}");

        Assert.That(job.GetProperty("summary").GetProperty("stateName").GetString(), Is.EqualTo("Failed"));
    }

    [TestCase("/jobs/api/jobs?state=bogus", HttpStatusCode.BadRequest)]
    [TestCase("/jobs/api/jobs?state=failed&page=abc", HttpStatusCode.BadRequest)]
    [TestCase("/jobs/api/jobs/a%20b", HttpStatusCode.BadRequest)]
    [TestCase("/jobs/api/jobs/424242", HttpStatusCode.NotFound)]
    [TestCase("/jobs/api/search?q=", HttpStatusCode.BadRequest)]
    public async Task Read_ReturnsAClearError_WhenTheRequestIsMalformed(string path, HttpStatusCode expected)
    {
        var response = await _host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Requeue_RetriesTheJob_WhenTheAntiforgeryHeaderIsSent()
    {
        var id = await _host.CreateFailedAsync();
        var antiforgery = await _host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/jobs/api/jobs/{id}/requeue?expected=Failed");
        request.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());

        var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), Is.EqualTo($"Job {id} requeued."));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Requeue_Returns409WithTheNewState_WhenTheJobChangedMeanwhile()
    {
        var id = await _host.CreateFailedAsync();
        await _host.Jobs.DeleteAsync(id);
        var antiforgery = await _host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/jobs/api/jobs/{id}/requeue?expected=Failed");
        request.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());

        var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), Does.Contain("it is now Deleted"));
    }

    [Test]
    public async Task Requeue_ChangesNothing_WhenTheAntiforgeryHeaderIsMissing()
    {
        var id = await _host.CreateFailedAsync();

        var response = await _host.Client.PostAsync($"/jobs/api/jobs/{id}/requeue", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Schedule_Returns400AndChangesNothing_WhenTheCronIsInvalid()
    {
        await _host.Recurring.AddOrUpdateAsync<DashboardSampleJob>("nightly", j => j.Run("n"), "0 3 * * *");
        var antiforgery = await _host.Client.GetFromJsonAsync<JsonElement>("/jobs/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs/api/recurring/nightly/schedule?cron=bogus");
        request.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());

        var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await _host.Storage.GetRecurringJobAsync("nightly", CancellationToken.None))!.Cron, Is.EqualTo("0 3 * * *"));
    }
}
