using System.Net;
using System.Text.RegularExpressions;
using Jobs.Tests.DashboardUsers;
using static Jobs.Tests.DashboardUsers.DashboardUsersHost;

namespace Jobs.Tests.Alerts;

/// <summary>
/// The dashboard's "Send test e-mail" on the Servers page of Jobs.Server, with alerts enabled and a real SMTP server:
/// the admin's click arrives as a message and the page says where it went; a mail server that is down is reported.
/// </summary>
[TestFixture]
public sealed partial class DashboardTestEmailTests
{
    private const string Recipient = "oncall@example.com";

    private SmtpTestServer _smtp = null!;
    private DashboardUsersHost _host = null!;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        _smtp = new SmtpTestServer();
        await _smtp.StartAsync();
        _host = Start(
            ("Alerts:Email:Enabled", "true"),
            ("Alerts:Email:Host", "127.0.0.1"),
            ("Alerts:Email:Port", _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Alerts:Email:From", "jobs@example.com"),
            ("Alerts:Email:To:0", Recipient),
            ("Alerts:Email:SendTimeout", "00:00:10"));
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Test]
    public async Task SendTestEmail_ArrivesAndSaysWhereItWent_WhenAnAdminClicksIt()
    {
        using var admin = await SignedInAsync(_host, AdminName, AdminPassword);
        var servers = await admin.GetStringAsync("/jobs/servers");
        Assert.That(servers, Does.Contain("Send test e-mail"), "the admin sees the button");

        using var response = await PostTestEmailAsync(admin, Token(servers));
        var page = await admin.GetStringAsync(response.Headers.Location!.OriginalString);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/jobs/servers"));
        Assert.That(Flash(page), Does.Contain("sent to " + Recipient));
        var mail = await _smtp.WaitForMessageAsync(m => m.Subject.Contains("Test e-mail", StringComparison.Ordinal), "test e-mail");
        Assert.That(mail.Headers["To"], Does.Contain(Recipient));
    }

    [Test]
    public async Task SendTestEmail_ShowsTheMailServersError_WhenItIsDown()
    {
        using var admin = await SignedInAsync(_host, AdminName, AdminPassword);
        var token = Token(await admin.GetStringAsync("/jobs/servers"));
        await _smtp.StopAsync();
        try
        {
            using var response = await PostTestEmailAsync(admin, token);
            var page = await admin.GetStringAsync(response.Headers.Location!.OriginalString);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(page, Does.Contain("flash-error"));
            Assert.That(Flash(page), Does.StartWith($"The test e-mail to {Recipient} could not be sent through 127.0.0.1:{_smtp.Port}"));
        }
        finally
        {
            await _smtp.StartAsync();
        }
    }

    [Test]
    public async Task SendTestEmail_IsRefusedAndHidden_ForAViewer()
    {
        using var viewer = await SignedInAsync(_host, ViewerName, ViewerPassword);
        var servers = await viewer.GetStringAsync("/jobs/servers");
        var before = _smtp.Messages().Count;

        using var response = await PostTestEmailAsync(viewer, Token(servers));

        Assert.That(servers, Does.Not.Contain("Send test e-mail"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(_smtp.Messages(), Has.Count.EqualTo(before), "no e-mail went out");
    }

    [Test]
    public async Task SendTestEmail_IsRefused_WithoutTheAntiforgeryToken()
    {
        using var admin = await SignedInAsync(_host, AdminName, AdminPassword);
        var before = _smtp.Messages().Count;

        using var response = await admin.PostAsync("/jobs/actions/alerts/test-email", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/jobs/servers" }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("nothing was changed"));
        Assert.That(_smtp.Messages(), Has.Count.EqualTo(before), "no e-mail went out");
    }

    [Test]
    public async Task ServersPage_HasNoTestEmailButton_WhenAlertsAreOff()
    {
        await using var host = Start();
        using var admin = await SignedInAsync(host, AdminName, AdminPassword);

        var servers = await admin.GetStringAsync("/jobs/servers");
        using var response = await PostTestEmailAsync(admin, Token(servers));
        var page = await admin.GetStringAsync(response.Headers.Location!.OriginalString);

        Assert.That(AlertsHeading().IsMatch(servers), Is.False);
        Assert.That(Flash(page), Does.Contain("Alerts:Email:Enabled is false"));
    }

    private static Task<HttpResponseMessage> PostTestEmailAsync(HttpClient client, string token) =>
        client.PostAsync("/jobs/actions/alerts/test-email", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "/jobs/servers",
        }));

    [GeneratedRegex("<h2>Alerts</h2>")]
    private static partial Regex AlertsHeading();
}
