using System.Net;
using System.Text.Json;
using static Jobs.Tests.DashboardUsers.DashboardUsersHost;

namespace Jobs.Tests.DashboardUsers;

/// <summary>
/// Jobs.Server's <c>/status</c> shows job data, so it is read like the dashboard: dashboard users through HTTP Basic,
/// local requests only without users. <c>/health</c> stays open for probes.
/// </summary>
[TestFixture]
public sealed class DashboardUsersStatusTests
{
    private DashboardUsersHost _host = null!;

    [OneTimeSetUp]
    public void StartServer() => _host = Start();

    [OneTimeTearDown]
    public async Task StopServer() => await _host.DisposeAsync();

    [Test]
    public async Task Status_AnswersUnauthorizedWithABasicChallenge_WhenNoOneIsSignedIn()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("/status");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
        Assert.That(body, Does.Not.Contain("statistics"));
    }

    [Test]
    public async Task Status_AnswersUnauthorized_WhenThePasswordIsWrong()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(ViewerName, ViewerPassword + "x");

        using var response = await client.GetAsync("/status");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase(ViewerName, ViewerPassword)]
    [TestCase(AdminName, AdminPassword)]
    public async Task Status_ShowsTheStatistics_ToADashboardUserThroughHttpBasic(string name, string password)
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(name, password);

        using var response = await client.GetAsync("/status");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json.RootElement.GetProperty("statistics").TryGetProperty("enqueued", out _), Is.True);
    }

    [Test]
    public async Task Health_StaysOpen_WhenUsersAreConfigured()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Status_IsRefusedToARemoteRequest_WithoutUsers()
    {
        // A TestServer request has no remote address, so it is not local: without users the dashboard's local-only rule applies.
        await using var host = StartWith();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/status");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("only accepts requests from this machine"));
    }
}
