using System.Net;
using Jobs.Tests.DashboardUsers;
using Microsoft.AspNetCore.Mvc.Testing;
using static Jobs.Tests.DashboardUsers.DashboardUsersHost;

namespace Jobs.Tests.Health;

/// <summary>
/// The dashboard while its PostgreSQL is unreachable: whoever may see the dashboard gets the 503 page naming the problem
/// (which names the database's host and port); anyone else gets the refusal they would get with the database up, and
/// learns nothing about the database. The test server's requests have no remote address, so they are not local.
/// </summary>
[TestFixture]
public sealed class DashboardStorageGuardTests
{
    private const string UnreachableDatabase = "Host=127.0.0.1;Port=1;Username=jobs;Password=secret;Database=jobs;Timeout=3";
    private const string DatabaseAddress = "127.0.0.1:1";

    private WebApplicationFactory<Program> _localOnly = null!;
    private WebApplicationFactory<Program> _withUsers = null!;

    [OneTimeSetUp]
    public void StartServers()
    {
        _localOnly = JobsServerHost.Create(JobsServerHost.PostgreSqlSettings(UnreachableDatabase, "jobs"), withoutTaskRegistrar: true);
        var withUsers = JobsServerHost.PostgreSqlSettings(UnreachableDatabase, "jobs");
        foreach (var (key, value) in UserSettings)
        {
            withUsers[key] = value;
        }

        _withUsers = JobsServerHost.Create(withUsers, withoutTaskRegistrar: true);
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        await _localOnly.DisposeAsync();
        await _withUsers.DisposeAsync();
    }

    [Test]
    public async Task Dashboard_Answers403WithoutNamingTheDatabase_WhenOnlyLocalRequestsMayEnterAndTheRequestIsRemote()
    {
        using var client = CreateClient(_localOnly);

        using var firstPage = await client.GetAsync("/jobs/");
        using var api = await client.GetAsync("/jobs/api/stats");
        using var ready = await client.GetAsync("/health/ready");
        using var pageOnceTheOutageIsKnown = await client.GetAsync("/jobs/failed");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the database is unreachable");
        Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain(DatabaseAddress), "the readiness probe names it");
        foreach (var (name, response) in new[] { ("page", firstPage), ("API", api), ("page after the outage was seen", pageOnceTheOutageIsKnown) })
        {
            var body = await BodyAsync(response);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), name);
            Assert.That(body, Does.Contain("only accepts requests from this machine"), name);
            Assert.That(body, Does.Not.Contain(DatabaseAddress).And.Not.Contain("unreachable"), name);
        }
    }

    [Test]
    public async Task Dashboard_SendsAnAnonymousVisitorToSignIn_WithoutNamingTheDatabase()
    {
        using var client = CreateClient(_withUsers);

        using var page = await client.GetAsync("/jobs/failed");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location!.PathAndQuery, Is.EqualTo("/jobs/login?ReturnUrl=%2Fjobs%2Ffailed"));
        Assert.That(await BodyAsync(page), Does.Not.Contain(DatabaseAddress).And.Not.Contain("unreachable"));
    }

    [TestCase(null, null)]
    [TestCase(ViewerName, "wrong password")]
    public async Task Api_Answers401WithABasicChallengeWithoutNamingTheDatabase_WithoutValidCredentials(string? name, string? password)
    {
        using var client = CreateClient(_withUsers);
        if (name is not null)
        {
            client.DefaultRequestHeaders.Authorization = Basic(name, password!);
        }

        using var stats = await client.GetAsync("/jobs/api/stats");

        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(stats.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
        Assert.That(await BodyAsync(stats), Does.Not.Contain(DatabaseAddress).And.Not.Contain("unreachable"));
    }

    [Test]
    public async Task Api_Answers503NamingTheDatabase_ToAViewer()
    {
        using var client = CreateClient(_withUsers);
        client.DefaultRequestHeaders.Authorization = Basic(ViewerName, ViewerPassword);

        using var stats = await client.GetAsync("/jobs/api/stats");

        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(stats.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await BodyAsync(stats), Does.Contain("The job storage is unreachable").And.Contain(DatabaseAddress));
    }

    [Test]
    public async Task Dashboard_Shows503PageNamingTheDatabase_ToASignedInViewer()
    {
        using var client = CreateClient(_withUsers);
        using var signIn = await SignInAsync(client, ViewerName, ViewerPassword);

        using var page = await client.GetAsync("/jobs/failed");

        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), "the sign-in needs no job storage");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await BodyAsync(page), Does.Contain("The job storage is unreachable").And.Contain(DatabaseAddress));
    }

    private static HttpClient CreateClient(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> BodyAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
}
