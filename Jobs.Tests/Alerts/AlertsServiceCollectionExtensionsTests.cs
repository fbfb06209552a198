using Jobs.Filters;
using Jobs.Server;
using Jobs.Server.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Alerts;

public sealed class AlertsServiceCollectionExtensionsTests
{
    [Test]
    public void AddJobsAlerts_RegistersNoFilter_WhenDisabled()
    {
        using var provider = CreateSut(new() { ["Alerts:Email:Enabled"] = "false" }, out var enabled);

        Assert.That(enabled, Is.False);
        Assert.That(provider.GetServices<IApplyStateFilter>().OfType<AlertEmailFilter>(), Is.Empty);
        Assert.That(provider.GetRequiredService<IOptions<BackgroundJobServerOptions>>().Value.Queues, Is.EqualTo(new[] { "default" }));
    }

    [Test]
    public void AddJobsAlerts_AddsTheAlertQueue_ToTheHostsQueues()
    {
        using var provider = CreateSut(Enabled(new() { ["Jobs:Server:Queues:0"] = "critical", ["Jobs:Server:Queues:1"] = "default" }), out var enabled);

        Assert.That(enabled, Is.True);
        Assert.That(provider.GetRequiredService<IOptions<BackgroundJobServerOptions>>().Value.Queues, Is.EqualTo(new[] { "critical", "default", "alerts" }));
        Assert.That(provider.GetServices<IApplyStateFilter>().OfType<AlertEmailFilter>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetServices<IElectStateFilter>().OfType<AlertJobRetryFilter>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void AddJobsAlerts_KeepsTheQueuesAsTheyAre_WhenTheyListTheAlertQueue()
    {
        using var provider = CreateSut(Enabled(new() { ["Jobs:Server:Queues:0"] = "alerts", ["Jobs:Server:Queues:1"] = "default" }), out _);

        Assert.That(provider.GetRequiredService<IOptions<BackgroundJobServerOptions>>().Value.Queues, Is.EqualTo(new[] { "alerts", "default" }));
    }

    [Test]
    public void Options_FailValidation_WithTheKeysToFix_WhenEnabledButIncomplete()
    {
        using var provider = CreateSut(new() { ["Alerts:Email:Enabled"] = "true", ["Alerts:Email:Host"] = "smtp.example" }, out _);

        var ex = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<AlertEmailOptions>>().Value);
        Assert.That(ex!.Message, Does.Contain("Alerts:Email:From is required").And.Contain("Alerts:Email:To must list"));
    }

    [Test]
    public void Options_AreBound_FromAlertsEmail()
    {
        using var provider = CreateSut(Enabled(new()
        {
            ["Alerts:Email:Port"] = "587",
            ["Alerts:Email:TlsMode"] = "StartTls",
            ["Alerts:Email:To:1"] = "second@example.com",
            ["Alerts:Email:Window"] = "00:05:00",
        }), out _);

        var options = provider.GetRequiredService<IOptions<AlertEmailOptions>>().Value;
        Assert.That(options.Port, Is.EqualTo(587));
        Assert.That(options.TlsMode, Is.EqualTo(AlertTlsMode.StartTls));
        Assert.That(options.To, Is.EqualTo(new[] { "oncall@example.com", "second@example.com" }));
        Assert.That(options.Window, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    private static Dictionary<string, string?> Enabled(Dictionary<string, string?> more)
    {
        var values = new Dictionary<string, string?>
        {
            ["Alerts:Email:Enabled"] = "true",
            ["Alerts:Email:Host"] = "smtp.example",
            ["Alerts:Email:From"] = "jobs@example.com",
            ["Alerts:Email:To:0"] = "oncall@example.com",
            ["Alerts:Email:DashboardBaseUrl"] = "http://host:5080/jobs",
        };
        foreach (var (key, value) in more)
        {
            values[key] = value;
        }

        return values;
    }

    private static ServiceProvider CreateSut(Dictionary<string, string?> values, out bool enabled)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values);
        JobsHostConfiguration.ApplyDefaults(configuration);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddJobsHost(configuration);
        enabled = configuration.GetValue<bool>("Alerts:Email:Enabled");
        return services.BuildServiceProvider();
    }
}
