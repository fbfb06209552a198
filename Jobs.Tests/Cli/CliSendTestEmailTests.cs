using System.Globalization;
using Jobs.Tests.Alerts;

namespace Jobs.Tests.Cli;

/// <summary><c>send-test-email</c> against a real SMTP server (python3-aiosmtpd).</summary>
[TestFixture]
public sealed class CliSendTestEmailTests
{
    private SmtpTestServer _smtp = null!;

    [SetUp]
    public async Task StartSmtpServer()
    {
        _smtp = new SmtpTestServer();
        await _smtp.StartAsync();
    }

    [TearDown]
    public async Task StopSmtpServer() => await _smtp.DisposeAsync();

    [Test]
    public async Task SendTestEmail_DeliversTheTestEmail_ToTheConfiguredRecipients()
    {
        var result = await CliProcess.RunAsync(["send-test-email"], AlertSettings(_smtp.Port));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Sent").And.Contain("oncall@example.com"), result.ToString());
        var mail = await _smtp.WaitForMessageAsync(m => m.Subject.Contains("Test e-mail", StringComparison.Ordinal), "test e-mail");
        Assert.That(mail.Headers["To"], Does.Contain("oncall@example.com"));
        Assert.That(mail.Headers["From"], Does.Contain("jobs@example.com"));
    }

    [Test]
    public async Task SendTestEmail_SendsToTheAddressOfTo_InsteadOfTheConfiguredRecipients()
    {
        var result = await CliProcess.RunAsync(["send-test-email", "--to", "someone@example.org"], AlertSettings(_smtp.Port));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var mail = await _smtp.WaitForMessageAsync(m => m.Subject.Contains("Test e-mail", StringComparison.Ordinal), "test e-mail");
        Assert.That(mail.Headers["To"], Does.Contain("someone@example.org").And.Not.Contain("oncall@example.com"));
    }

    [Test]
    public async Task SendTestEmail_ExitsWith1AndReportsTheSmtpError_WhenTheServerCannotBeReached()
    {
        var port = _smtp.Port;
        await _smtp.StopAsync();

        var result = await CliProcess.RunAsync(["send-test-email"], AlertSettings(port));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain($"could not be sent through 127.0.0.1:{port}"), result.ToString());
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task SendTestEmail_ExitsWith1NamingTheSetting_WhenTheSettingsAreIncomplete()
    {
        var settings = AlertSettings(_smtp.Port);
        settings.Remove("Alerts__Email__Host");

        var result = await CliProcess.RunAsync(["send-test-email"], settings);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("Alerts:Email:Host is required"), result.ToString());
        Assert.That(_smtp.Messages(), Is.Empty);
    }

    /// <summary>Alerts stay switched off (the default): the test e-mail checks the settings before they are switched on.</summary>
    private static Dictionary<string, string?> AlertSettings(int port) => CliProcess.Environment(
        ("Alerts__Email__Host", "127.0.0.1"),
        ("Alerts__Email__Port", port.ToString(CultureInfo.InvariantCulture)),
        ("Alerts__Email__From", "jobs@example.com"),
        ("Alerts__Email__To__0", "oncall@example.com"),
        ("Alerts__Email__DashboardBaseUrl", "http://localhost:5080/jobs"),
        ("Alerts__Email__SendTimeout", "00:00:20"));
}
