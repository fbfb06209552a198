using Jobs.Server.Alerts;

namespace Jobs.Tests.Alerts;

public sealed class AlertEmailOptionsTests
{
    [Test]
    public void Defaults()
    {
        var options = new AlertEmailOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Enabled, Is.False);
            Assert.That(options.Port, Is.EqualTo(25));
            Assert.That(options.TlsMode, Is.EqualTo(AlertTlsMode.None));
            Assert.That(options.To, Is.Empty);
            Assert.That(options.Window, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(options.Queue, Is.EqualTo("alerts"));
            Assert.That(options.SendRecovered, Is.True);
            Assert.That(options.SendTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.SendRetries, Is.EqualTo(3));
            Assert.That(options.SendRetryDelay, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(options.CircuitBreakDuration, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(options.RetryAttempts, Is.EqualTo(100));
            Assert.That(options.RetryDelaysInSeconds, Is.Empty);
            Assert.That(AlertEmailOptions.DefaultRetryDelaysInSeconds, Is.EqualTo(new[] { 30, 60, 300, 900, 3600 }));
        });
    }

    [Test]
    public void Validate_Succeeds_WhenDisabled_WhateverElseIsSet()
    {
        var result = new AlertEmailOptionsValidator().Validate(null, new AlertEmailOptions { Port = -1 });

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Validate_Succeeds_ForACompleteConfiguration()
    {
        var result = new AlertEmailOptionsValidator().Validate(null, Valid());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_NamesEveryMissingKey_WhenEnabled()
    {
        var result = new AlertEmailOptionsValidator().Validate(null, new AlertEmailOptions { Enabled = true });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("Alerts:Email:Host is required")
            .And.Contain("Alerts:Email:From is required")
            .And.Contain("Alerts:Email:To must list at least one recipient")
            .And.Contain("Alerts:Email:DashboardBaseUrl is required"));
    }

    [TestCase("Port", "0", "Alerts:Email:Port must be from 1 to 65535")]
    [TestCase("From", "not an address", "Alerts:Email:From is not an e-mail address")]
    [TestCase("To", "nobody", "Alerts:Email:To holds something that is not an e-mail address: 'nobody'")]
    [TestCase("Window", "0", "Alerts:Email:Window must be positive")]
    [TestCase("DashboardBaseUrl", "/jobs", "Alerts:Email:DashboardBaseUrl must be an absolute http or https address")]
    [TestCase("Queue", "Alerts!", "Alerts:Email:Queue")]
    [TestCase("User", "mailer", "Alerts:Email:Password is required when Alerts:Email:User is set")]
    [TestCase("RetryDelaysInSeconds", "0", "Alerts:Email:RetryDelaysInSeconds must hold delays of at least 1 second")]
    public void Validate_Fails_WithAClearMessage(string key, string value, string message)
    {
        var options = Valid();
        switch (key)
        {
            case "Port": options.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "From": options.From = value; break;
            case "To": options.To = [value]; break;
            case "Window": options.Window = TimeSpan.Zero; break;
            case "DashboardBaseUrl": options.DashboardBaseUrl = value; break;
            case "Queue": options.Queue = value; break;
            case "User": options.User = value; break;
            case "RetryDelaysInSeconds": options.RetryDelaysInSeconds = [0]; break;
            default: Assert.Fail($"unknown key {key}"); break;
        }

        var result = new AlertEmailOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(message));
    }

    private static AlertEmailOptions Valid() => new()
    {
        Enabled = true,
        Host = "smtp.example",
        From = "jobs@example.com",
        To = ["oncall@example.com"],
        DashboardBaseUrl = "http://host:5080/jobs",
    };
}
