using Jobs.Server;
using Jobs.Tasks;
using Jobs.Tasks.Mail;
using Jobs.Tests.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Alerts;

/// <summary>The tasks' e-mails as the host wires them: through the SMTP settings of Alerts:Email, alerts on or off.</summary>
[NonParallelizable]
public sealed class SmtpTaskEmailSenderTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 9, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task WeeklyReport_ArrivesAsTextAndHtml_AtTheAlertRecipients_WhenAlertsAreOff()
    {
        await using var smtp = new SmtpTestServer();
        await smtp.StartAsync();
        await using var host = CreateHost(new()
        {
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Email:From"] = "jobs@example.com",
            ["Alerts:Email:To:0"] = "oncall@example.com",
            ["Alerts:Email:To:1"] = "team@example.com",
        });
        Assert.That(host.GetRequiredService<RecurringTaskCatalog>().Find(WeeklyReportTask.Id)!.Enabled, Is.True);
        Assert.That(host.GetRequiredService<WeeklyReportTask>(), Is.Not.Null, "the host can build the task");
        await using var jobs = await WeeklyReportStorage.CreateAsync(Monday.AddDays(-7));
        await jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-3), TimeSpan.FromSeconds(2));
        await jobs.FailedAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-1));
        var task = new WeeklyReportTask(
            jobs.Storage,
            host.GetRequiredService<ITaskEmailSender>(),
            Options.Create(new WeeklyReportOptions()),
            new FixedTimeProvider(Monday),
            NullLogger<WeeklyReportTask>.Instance);

        await task.RunAsync(CancellationToken.None);

        var mail = await smtp.WaitForMessageAsync(m => m.Subject.StartsWith("[Jobs] Weekly report", StringComparison.Ordinal), "weekly report");
        Assert.Multiple(() =>
        {
            Assert.That(mail.Subject, Is.EqualTo("[Jobs] Weekly report 2026-03-02 to 2026-03-08: 2 runs, 1 failed"));
            Assert.That(mail.Headers["To"], Does.Contain("oncall@example.com").And.Contain("team@example.com"));
            Assert.That(mail.ContentType, Does.StartWith("multipart/alternative"));
            Assert.That(mail.Parts.Select(p => p.ContentType.Split(';')[0]), Is.EqualTo(new[] { "text/plain", "text/html" }));
            Assert.That(mail.Text, Does.Contain("- WeeklyReportSampleJob.ImportOrders: 2 runs, 1 succeeded, 1 failed, 50.0 %"));
            Assert.That(mail.Html, Does.Contain("<td>WeeklyReportSampleJob.ImportOrders</td>").And.Contain("<h3>Slowest tasks</h3>"));
        });
    }

    [Test]
    public async Task SendAsync_SendsToTheEmailsOwnRecipients_WhenItNamesSome()
    {
        await using var smtp = new SmtpTestServer();
        await smtp.StartAsync();
        using var host = CreateHost(new()
        {
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Email:From"] = "jobs@example.com",
            ["Alerts:Email:To:0"] = "oncall@example.com",
        });

        await host.GetRequiredService<ITaskEmailSender>().SendAsync(new TaskEmail(["admins@example.com"], "Report", "text", "<p>html</p>"), CancellationToken.None);

        var mail = await smtp.WaitForMessageAsync(m => m.Subject == "Report", "task e-mail");
        Assert.That(mail.Headers["To"], Does.Contain("admins@example.com").And.Not.Contain("oncall@example.com"));
    }

    [Test]
    public void SendAsync_ThrowsNamingTheSettings_WhenNoMailServerIsConfigured()
    {
        using var host = CreateHost(new() { ["Tasks:weekly-report:Enabled"] = "true" });

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() =>
            host.GetRequiredService<ITaskEmailSender>().SendAsync(new TaskEmail([], "Report", "text", "<p>html</p>"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Report'").And.Contain("Alerts:Email:Host").And.Contain("Alerts:Email:From"));
    }

    [Test]
    public void WeeklyReport_IsSwitchedOff_WhenNoMailServerIsConfigured()
    {
        using var host = CreateHost([]);

        Assert.That(host.GetRequiredService<RecurringTaskCatalog>().Find(WeeklyReportTask.Id)!.Enabled, Is.False);
    }

    private static ServiceProvider CreateHost(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values);
        JobsHostConfiguration.ApplyDefaults(configuration);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddJobsHost(configuration);
        return services.BuildServiceProvider();
    }
}
