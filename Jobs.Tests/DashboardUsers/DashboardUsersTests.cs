using System.Net;
using System.Net.Http.Json;
using Jobs.States;
using Jobs.Tests.Cli;
using Microsoft.Extensions.Options;
using static Jobs.Tests.DashboardUsers.DashboardUsersHost;

namespace Jobs.Tests.DashboardUsers;

/// <summary>Jobs.Server with <c>Jobs:Dashboard:Users</c>: sign-in, roles, sign-out, the API with HTTP Basic, and bad configuration.</summary>
[TestFixture]
public sealed class DashboardUsersTests
{
    private DashboardUsersHost _host = null!;

    [OneTimeSetUp]
    public void StartServer() => _host = Start();

    [OneTimeTearDown]
    public async Task StopServer() => await _host.DisposeAsync();

    [Test]
    public async Task Dashboard_SendsToTheSignInForm_WhenNoOneIsSignedIn()
    {
        using var client = _host.CreateClient();

        using var page = await client.GetAsync("/jobs/failed?page=2");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location!.PathAndQuery, Is.EqualTo("/jobs/login?ReturnUrl=%2Fjobs%2Ffailed%3Fpage%3D2"));
    }

    [Test]
    public async Task SignIn_OpensTheDashboardAtTheReturnUrl_WhenThePasswordIsRight()
    {
        using var client = _host.CreateClient();

        using var response = await SignInAsync(client, AdminName, AdminPassword, "/jobs/failed?page=2");
        var overview = await client.GetStringAsync("/jobs/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/jobs/failed?page=2"));
        Assert.That(overview, Does.Contain("<h1>Overview</h1>"));
        Assert.That(overview, Does.Contain("<span class=\"signed-in\">ada</span>"));
        Assert.That(overview, Does.Contain("Sign out"));
    }

    [Test]
    public async Task SignIn_NamesAccountsIgnoringCase_LikeTheUniquenessCheck()
    {
        using var client = _host.CreateClient();

        using var response = await SignInAsync(client, "ADA", AdminPassword);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That((await client.GetAsync("/jobs/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task SignIn_SaysTheSameForAWrongPasswordAndAnUnknownName_AndLetsNoOneIn()
    {
        using var client = _host.CreateClient();

        using var wrongPassword = await SignInAsync(client, AdminName, "correct horse battery!");
        using var unknownName = await SignInAsync(client, "adam", AdminPassword);
        using var dashboard = await client.GetAsync("/jobs/");

        var wrongPage = await wrongPassword.Content.ReadAsStringAsync();
        var unknownPage = await unknownName.Content.ReadAsStringAsync();
        Assert.That(wrongPassword.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(unknownName.StatusCode, Is.EqualTo(wrongPassword.StatusCode));
        Assert.That(Flash(wrongPage), Is.EqualTo("Wrong name or password."));
        Assert.That(Flash(unknownPage), Is.EqualTo(Flash(wrongPage)));
        Assert.That(wrongPassword.Headers.Contains("Set-Cookie") && wrongPassword.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("jobs_auth=", StringComparison.Ordinal)), Is.False);
        Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task SignIn_IsRefused_WhenTheFormHasNoAntiforgeryToken()
    {
        using var client = _host.CreateClient();

        using var response = await client.PostAsync("/jobs/login", new FormUrlEncodedContent([new("name", AdminName), new("password", AdminPassword)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await client.GetAsync("/jobs/")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [TestCase("https://evil.example/jobs/")]
    [TestCase("//evil.example/jobs/")]
    [TestCase("/\\evil.example/jobs/")]
    [TestCase("javascript:alert(1)")]
    public async Task SignIn_GoesToTheOverview_WhenTheReturnUrlLeavesTheSite(string returnUrl)
    {
        using var client = _host.CreateClient();

        var form = await client.GetStringAsync("/jobs/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        using var response = await SignInAsync(client, AdminName, AdminPassword, returnUrl);

        Assert.That(form, Does.Contain("name=\"ReturnUrl\" value=\"/jobs/\""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/jobs/"));
    }

    [Test]
    public async Task Viewer_ReadsButCannotRetry_AndTheJobStaysFailed()
    {
        var id = await _host.CreateFailedJobAsync();
        using var viewer = await SignedInAsync(_host, ViewerName, ViewerPassword);

        var failed = await viewer.GetStringAsync("/jobs/failed");
        var token = Token(await viewer.GetStringAsync("/jobs/"));
        using var retry = await viewer.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent(
            [new("id", id), new("expected", "Failed"), new("__RequestVerificationToken", token)]));

        Assert.That(failed, Does.Contain(id));
        Assert.That(failed, Does.Contain("Read-only"));
        Assert.That(failed, Does.Not.Contain("Retry selected"));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await retry.Content.ReadAsStringAsync(), Does.Contain("nothing was changed"));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Admin_RetriesAFailedJob()
    {
        var id = await _host.CreateFailedJobAsync();
        using var admin = await SignedInAsync(_host, AdminName, AdminPassword);

        var failed = await admin.GetStringAsync("/jobs/failed");
        using var retry = await admin.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent(
            [new("id", id), new("expected", "Failed"), new("__RequestVerificationToken", Token(failed))]));
        var after = await admin.GetStringAsync(retry.Headers.Location);

        Assert.That(failed, Does.Contain("Retry selected"));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(Flash(after), Is.EqualTo($"Job {id} requeued."));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task SignOut_FromTheDashboardHeader_EndsTheSession()
    {
        using var client = await SignedInAsync(_host, ViewerName, ViewerPassword);
        var overview = await client.GetStringAsync("/jobs/");

        using var signOut = await client.PostAsync("/jobs/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", Token(overview))]));
        var form = await client.GetStringAsync(signOut.Headers.Location);
        using var dashboard = await client.GetAsync("/jobs/");

        Assert.That(overview, Does.Contain("action=\"/jobs/logout\""));
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(signOut.Headers.Location!.OriginalString, Is.EqualTo("/jobs/login?signedOut"));
        Assert.That(Flash(form), Is.EqualTo("You are signed out."));
        Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task SignInCookie_IsHttpOnlyLaxAndSecure_OverHttps()
    {
        using var client = _host.CreateClient("https://localhost");

        using var response = await SignInAsync(client, AdminName, AdminPassword);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jobs_auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.That(cookie, Does.Contain("httponly"));
        Assert.That(cookie, Does.Contain("samesite=lax"));
        Assert.That(cookie, Does.Contain("secure"));
        Assert.That(cookie, Does.Contain("path=/jobs"));
    }

    [Test]
    public async Task Api_Answers200_WithHttpBasicOfAConfiguredUser()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(ViewerName, ViewerPassword);

        using var stats = await client.GetAsync("/jobs/api/stats");

        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await stats.Content.ReadAsStringAsync(), Does.Contain("\"succeeded\""));
    }

    [TestCase(ViewerName, "wrong")]
    [TestCase("nobody", ViewerPassword)]
    [TestCase(null, null)]
    public async Task Api_Answers401WithABasicChallenge_WithoutValidCredentials(string? name, string? password)
    {
        using var client = _host.CreateClient();
        if (name is not null)
        {
            client.DefaultRequestHeaders.Authorization = Basic(name, password!);
        }

        using var stats = await client.GetAsync("/jobs/api/stats");

        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(stats.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
    }

    [Test]
    public async Task Api_AcceptsTheSignInCookie()
    {
        using var client = await SignedInAsync(_host, ViewerName, ViewerPassword);

        using var stats = await client.GetAsync("/jobs/api/stats");

        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Pages_IgnoreHttpBasic_AndSendToTheSignInForm()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(AdminName, AdminPassword);

        using var page = await client.GetAsync("/jobs/");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(page.Headers.Location!.AbsolutePath, Is.EqualTo("/jobs/login"));
    }

    [Test]
    public async Task ApiActions_WithHttpBasic_NeedAnAdmin()
    {
        var id = await _host.CreateFailedJobAsync();
        using var viewer = _host.CreateClient();
        viewer.DefaultRequestHeaders.Authorization = Basic(ViewerName, ViewerPassword);
        using var admin = _host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = Basic(AdminName, AdminPassword);

        using var refused = await PostApiActionAsync(viewer, $"/jobs/api/jobs/{id}/requeue?expected=Failed");
        var stateAfterViewer = await _host.StateOfAsync(id);
        using var done = await PostApiActionAsync(admin, $"/jobs/api/jobs/{id}/requeue?expected=Failed");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(stateAfterViewer, Is.EqualTo(FailedState.StateName));
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task SignIn_IsLockedOut_AfterRepeatedFailures_EvenWithTheRightPassword()
    {
        await using var host = Start(("Jobs:Dashboard:MaxFailedLogins", "3"));
        using var client = host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var failure = await SignInAsync(client, AdminName, "guess " + i);
            Assert.That(failure.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var locked = await SignInAsync(client, AdminName, AdminPassword);
        using var otherUser = await SignInAsync(host.CreateClient(), ViewerName, ViewerPassword);
        client.DefaultRequestHeaders.Authorization = Basic(AdminName, AdminPassword);
        using var api = await client.GetAsync("/jobs/api/stats");

        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(Flash(await locked.Content.ReadAsStringAsync()), Does.StartWith("Too many failed sign-ins with this name."));
        Assert.That(locked.Headers.RetryAfter, Is.Not.Null);
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(otherUser.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
    }

    [Test]
    public async Task SignIn_LocksOutAnUnknownNameLikeAKnownOne()
    {
        await using var host = Start(("Jobs:Dashboard:MaxFailedLogins", "2"));
        using var client = host.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var failure = await SignInAsync(client, "mallory", "guess " + i);
        }

        using var locked = await SignInAsync(client, "mallory", "guess 3");

        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [TestCase("PasswordHash", "", "Jobs:Dashboard:Users:1 (\"val\"): PasswordHash is empty")]
    [TestCase("PasswordHash", "hunter2", "Jobs:Dashboard:Users:1 (\"val\"): PasswordHash is not an ASP.NET Core Identity v3 password hash")]
    [TestCase("PasswordHash", "AQAAAAEAACcQAAAAEA==", "Jobs:Dashboard:Users:1 (\"val\"): PasswordHash is not an ASP.NET Core Identity v3 password hash")]
    [TestCase("Role", "root", "Jobs:Dashboard:Users:1 (\"val\"): Role 'root' is not known; use 'viewer' or 'admin'.")]
    [TestCase("Name", "ADA", "Jobs:Dashboard:Users:1 (\"ADA\"): the name is already used by Jobs:Dashboard:Users:0")]
    public async Task Start_FailsWithAMessageNamingTheEntry_WhenAUserIsBad(string key, string value, string expected)
    {
        var result = await RunServerProcessAsync(("Jobs:Dashboard:Users:1:" + key, value));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
        Assert.That(result.Error, Does.Contain(expected), result.ToString);
    }

    [Test]
    public async Task Start_Fails_WhenAHashIsInTheOlderV2Format()
    {
        var v2 = new Microsoft.AspNetCore.Identity.PasswordHasher<string>(Options.Create(new Microsoft.AspNetCore.Identity.PasswordHasherOptions
        {
            CompatibilityMode = Microsoft.AspNetCore.Identity.PasswordHasherCompatibilityMode.IdentityV2,
        })).HashPassword(ViewerName, ViewerPassword);

        var result = await RunServerProcessAsync(("Jobs:Dashboard:Users:1:PasswordHash", v2));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString);
        Assert.That(result.Error, Does.Contain("it is in the older v2 format"), result.ToString);
    }

    /// <summary>
    /// Starts Jobs.Server as a real process with the admin and the viewer configured through environment variables, as an
    /// operator would, plus <paramref name="settings"/>; a configuration error must stop it with exit code 1 and a message.
    /// </summary>
    private static Task<CliResult> RunServerProcessAsync(params (string Key, string Value)[] settings)
    {
        var environment = CliProcess.Environment(("ASPNETCORE_URLS", "http://127.0.0.1:0"));
        foreach (var (key, value) in UserSettings.Concat(settings))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return CliProcess.RunAsync(["run"], environment);
    }

    private static async Task<HttpResponseMessage> PostApiActionAsync(HttpClient client, string path)
    {
        var antiforgery = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/jobs/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());
        return await client.SendAsync(request);
    }
}
