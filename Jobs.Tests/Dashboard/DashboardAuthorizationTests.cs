using System.Net;
using Jobs.States;
using Microsoft.AspNetCore.Builder;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class DashboardAuthorizationTests
{
    [TestCase("/jobs/")]
    [TestCase("/jobs/failed")]
    [TestCase("/jobs/api/stats")]
    public async Task Get_Returns403_WhenLocalOnlyByDefaultAndTheRequestIsRemote(string path)
    {
        await using var host = await DashboardTestHost.StartAsync(remoteAddress: "203.0.113.7");

        var response = await host.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("only accepts requests from this machine"));
    }

    [Test]
    public async Task Get_Returns403_WhenTheRequestHasNoRemoteAddress()
    {
        await using var host = await DashboardTestHost.StartAsync(remoteAddress: null);

        var response = await host.Client.GetAsync("/jobs/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public async Task Get_Returns200_WhenLocalOnlyAndTheRequestIsLoopback(string address)
    {
        await using var host = await DashboardTestHost.StartAsync(remoteAddress: address);

        var response = await host.Client.GetAsync("/jobs/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_ChangesNothing_WhenTheRequestIsRemote()
    {
        await using var host = await DashboardTestHost.StartAsync();
        var id = await host.CreateFailedAsync();
        var token = await host.GetTokenAsync();
        using var remote = host.CreateClient("203.0.113.7");

        var response = await remote.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent([new("id", id), new("__RequestVerificationToken", token)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Get_Returns401_WhenPoliciesAreSetAndNoOneIsSignedIn()
    {
        await using var host = await StartWithPoliciesAsync();

        var response = await host.Client.GetAsync("/jobs/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Get_Returns403_WhenTheUserHasNeitherRole()
    {
        await using var host = await StartWithPoliciesAsync();
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "mallory");

        var page = await host.Client.GetAsync("/jobs/");
        var api = await host.Client.GetAsync("/jobs/api/stats");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Viewer_ReadsButCannotAct_WhenOnlyTheViewerPolicyIsSatisfied()
    {
        await using var host = await StartWithPoliciesAsync();
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "val");
        host.Client.DefaultRequestHeaders.Add("X-Test-Roles", "viewer");
        var id = await host.CreateFailedAsync();

        var html = await host.Client.GetStringAsync("/jobs/failed");
        var response = await host.Client.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent([new("id", id)]));

        Assert.That(html, Does.Contain(id));
        Assert.That(html, Does.Not.Contain("Retry selected"));
        Assert.That(html, Does.Contain("Read-only"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Admin_RetriesAJob_WhenTheAdminPolicyIsSatisfied()
    {
        await using var host = await StartWithPoliciesAsync();
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "ada");
        host.Client.DefaultRequestHeaders.Add("X-Test-Roles", "admin");
        var id = await host.CreateFailedAsync();

        var response = await host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id), ("expected", "Failed"));

        Assert.That(await host.FlashAfterAsync(response), Is.EqualTo($"Job {id} requeued."));
        Assert.That(await host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Admin_CanAct_WhenGrantedThroughAdminRoles()
    {
        await using var host = await DashboardTestHost.StartAsync(o => o.AdminRoles.Add("ops"), remoteAddress: "203.0.113.7", withAuthentication: true);
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "olga");
        host.Client.DefaultRequestHeaders.Add("X-Test-Roles", "ops");
        var id = await host.CreateFailedAsync();

        var response = await host.PostFormAsync("/jobs/actions/jobs/delete", ("id", id));

        Assert.That(await host.FlashAfterAsync(response), Is.EqualTo($"Job {id} deleted."));
    }

    [Test]
    public async Task ReadOnly_RefusesActionsEvenForLocalAdmins_WhenSet()
    {
        await using var host = await DashboardTestHost.StartAsync(o => o.ReadOnly = true);
        var id = await host.CreateFailedAsync();

        var html = await host.Client.GetStringAsync("/jobs/failed");
        var response = await host.Client.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent([new("id", id)]));

        Assert.That(html, Does.Not.Contain("__RequestVerificationToken"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task LocalOnlyAndPolicies_BothApply_WhenAllowLocalRequestsOnlyIsSetExplicitly()
    {
        await using var host = await DashboardTestHost.StartAsync(
            o =>
            {
                o.ViewerPolicy = "JobsViewer";
                o.AllowLocalRequestsOnly = true;
            },
            remoteAddress: "203.0.113.7",
            withAuthentication: true);
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "val");
        host.Client.DefaultRequestHeaders.Add("X-Test-Roles", "viewer");

        var response = await host.Client.GetAsync("/jobs/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task RequireAuthorization_ChainsOnTheDashboard_WhenTheHostAddsIt()
    {
        await using var host = await DashboardTestHost.StartAsync(withAuthentication: true, conventions: d => d.RequireAuthorization("JobsAdmin"));

        var anonymous = await host.Client.GetAsync("/jobs/");
        var asset = await host.Client.GetAsync("/jobs/assets/dashboard.css");
        host.Client.DefaultRequestHeaders.Add("X-Test-User", "ada");
        host.Client.DefaultRequestHeaders.Add("X-Test-Roles", "admin");
        var admin = await host.Client.GetAsync("/jobs/");

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static Task<DashboardTestHost> StartWithPoliciesAsync() =>
        DashboardTestHost.StartAsync(
            o =>
            {
                o.ViewerPolicy = "JobsViewer";
                o.AdminPolicy = "JobsAdmin";
            },
            remoteAddress: "203.0.113.7",
            withAuthentication: true);
}
