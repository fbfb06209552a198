using Jobs.Server;
using Jobs.Server.Alerts;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tasks;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Alerts;

/// <summary>The host as Program.cs wires it (in-memory storage), a job that finally fails, and a real SMTP server.</summary>
[NonParallelizable]
public sealed class AlertEmailEndToEndTests
{
    private const string Dashboard = "http://jobs-host:5080/jobs";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private SmtpTestServer _smtp = null!;
    private IHost? _host;
    private string? _schema;

    [SetUp]
    public void SetUp() => _smtp = new SmtpTestServer();

    [TearDown]
    public async Task TearDown()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }

        await _smtp.DisposeAsync();
        if (_schema is not null)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
        }
    }

    [Test]
    public async Task FinalFailure_ArrivesAsOneAlertEmail_WithSubjectContentAndDashboardLink()
    {
        await _smtp.StartAsync();
        await StartHostAsync();
        var client = _host!.Services.GetRequiredService<IBackgroundJobClient>();

        var id = await client.EnqueueAsync<FinallyFailingJob>(j => j.Run("ACME & <Sons>", 4711));

        var mail = await _smtp.WaitForMessageAsync(m => m.Subject.StartsWith("[Jobs] Failed:", StringComparison.Ordinal), "alert e-mail");
        Assert.Multiple(() =>
        {
            Assert.That(mail.Subject, Is.EqualTo($"[Jobs] Failed: FinallyFailingJob.Run (job {id})"));
            Assert.That(mail.Headers["From"], Does.Contain("jobs@example.com"));
            Assert.That(mail.Headers["To"], Does.Contain("oncall@example.com").And.Contain("team@example.com"));
            Assert.That(mail.ContentType, Does.StartWith("multipart/alternative"));
            Assert.That(mail.Parts.Select(p => p.ContentType.Split(';')[0]), Is.EqualTo(new[] { "text/plain", "text/html" }));
            Assert.That(mail.Text, Does.Contain("Payment for order 4711 of ACME & <Sons> was declined <b>twice</b>"));
            Assert.That(mail.Text, Does.Contain("Attempts:  2").And.Contain("Queue:     default").And.Contain("Server:    alerts-e2e"));
            Assert.That(mail.Text, Does.Contain("Arguments: [\"ACME \\u0026 \\u003CSons\\u003E\",4711]").Or.Contain("Arguments: [\"ACME & <Sons>\",4711]"));
            Assert.That(mail.Text, Does.Contain($"{Dashboard}/job/{id}"));
            Assert.That(mail.Html, Does.Contain($"<a href=\"{Dashboard}/job/{id}\">"));
            Assert.That(mail.Html, Does.Contain("declined &lt;b&gt;twice&lt;/b&gt;").And.Not.Contain("<b>twice</b>"));
            Assert.That(mail.Html, Does.Contain("FinallyFailingJob.Run"));
        });
    }

    [Test]
    public async Task Alert_ArrivesOnceSmtpIsStarted_WhenSmtpWasDownDuringTheFailure()
    {
        await StartHostAsync();
        var client = _host!.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = _host.Services.GetRequiredService<IJobStorage>();

        var id = await client.EnqueueAsync<FinallyFailingJob>(j => j.Run("Down Ltd", 1));
        var alertJobId = await WaitForRetriedAlertJobAsync(storage);
        Assert.That(_smtp.Messages(), Is.Empty);

        await _smtp.StartAsync();

        var mail = await _smtp.WaitForMessageAsync(m => m.Subject.StartsWith("[Jobs] Failed:", StringComparison.Ordinal), "alert e-mail after SMTP came back");
        Assert.That(mail.Subject, Is.EqualTo($"[Jobs] Failed: FinallyFailingJob.Run (job {id})"));
        Assert.That(mail.Text, Does.Contain($"{Dashboard}/job/{id}"));
        await WaitForStateAsync(storage, alertJobId, SucceededState.StateName);
        Assert.That(_smtp.Messages().Count(m => m.Subject.StartsWith("[Jobs] Failed:", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task FurtherFailuresInTheWindow_ArriveAsOneDigest_OnPostgreSql()
    {
        var connectionString = TestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        await _smtp.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Jobs"] = connectionString,
            ["Jobs:PostgreSql:SchemaName"] = _schema,
            ["Alerts:Email:Window"] = "00:00:10",
        };
        foreach (var task in RecurringTaskCatalog.FromAssembly(configuration: null).Definitions)
        {
            settings[$"{RecurringTaskCatalog.ConfigurationSection}:{task.Id}:Enabled"] = "false";
        }

        await StartHostAsync(settings);
        var client = _host!.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = _host.Services.GetRequiredService<IJobStorage>();

        var first = await client.EnqueueAsync<FinallyFailingJob>(j => j.RunOnce(1));
        await WaitForStateAsync(storage, first, FailedState.StateName);
        var second = await client.EnqueueAsync<FinallyFailingJob>(j => j.RunOnce(2));
        var third = await client.EnqueueAsync<FinallyFailingJob>(j => j.RunOnce(3));

        var digest = await _smtp.WaitForMessageAsync(m => m.Subject.Contains("more failure", StringComparison.Ordinal), "digest e-mail");
        Assert.That(digest.Subject, Is.EqualTo("[Jobs] 2 more failures of FinallyFailingJob.RunOnce"));
        Assert.That(digest.Text, Does.Contain($"job {second} ").And.Contain($"job {third} ").And.Contain("Order 3 could not be shipped"));
        Assert.That(digest.Html, Does.Contain($"{Dashboard}/job/{second}"));
        var failures = _smtp.Messages().Where(m => m.Subject.StartsWith("[Jobs] Failed:", StringComparison.Ordinal)).ToList();
        Assert.That(failures.Select(m => m.Subject), Is.EqualTo(new[] { $"[Jobs] Failed: FinallyFailingJob.RunOnce (job {first})" }));
    }

    [Test]
    public async Task SendTestEmailAsync_DeliversTheTestEmail()
    {
        await _smtp.StartAsync();
        await StartHostAsync();

        await _host!.Services.GetRequiredService<AlertEmailTester>().SendTestEmailAsync(CancellationToken.None);

        var mail = await _smtp.WaitForMessageAsync(m => m.Subject == "[Jobs] Test e-mail", "test e-mail");
        Assert.That(mail.Text, Does.Contain("alerts-e2e").And.Contain($"127.0.0.1:{_smtp.Port}"));
        Assert.That(mail.Html, Does.Contain("<p>This is a test e-mail"));
    }

    private async Task StartHostAsync(Dictionary<string, string?>? more = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Server:ServerName"] = "alerts-e2e",
            ["Jobs:Server:WorkerCount"] = "2",
            ["Jobs:Server:QueuePollInterval"] = "00:00:00.100",
            ["Jobs:Server:SchedulePollingInterval"] = "00:00:00.100",
            ["Jobs:Server:HeartbeatInterval"] = "00:00:00.500",
            ["Jobs:Server:ShutdownTimeout"] = "00:00:05",
            ["Alerts:Email:Enabled"] = "true",
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Email:From"] = "jobs@example.com",
            ["Alerts:Email:To:0"] = "oncall@example.com",
            ["Alerts:Email:To:1"] = "team@example.com",
            ["Alerts:Email:DashboardBaseUrl"] = Dashboard,
            ["Alerts:Email:SendTimeout"] = "00:00:10",
            ["Alerts:Email:SendRetries"] = "1",
            ["Alerts:Email:SendRetryDelay"] = "00:00:00.100",
            ["Alerts:Email:CircuitBreakDuration"] = "00:00:01",
            ["Alerts:Email:RetryDelaysInSeconds:0"] = "1",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        if (Environment.GetEnvironmentVariable("JOBS_TEST_LOG") is not null)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        JobsHostConfiguration.ApplyDefaults(builder.Configuration);
        builder.Services.AddJobsHost(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync(CancellationToken.None);
    }

    /// <summary>Waits until the alert job has failed to send at least once and waits for its retry; returns its id.</summary>
    private static async Task<string> WaitForRetriedAlertJobAsync(IJobStorage storage)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!deadline.IsCancellationRequested)
        {
            var found = (await storage.Monitoring.SearchJobsAsync("AlertEmailJob", 50, CancellationToken.None))
                .FirstOrDefault(j => j.DisplayName == "AlertEmailJob.SendFailureAsync" && j.RetryCount >= 1);
            if (found is not null)
            {
                return found.Id;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        Assert.Fail("The alert job did not fail and get retried while SMTP was down.");
        throw new InvalidOperationException("unreachable");
    }

    private static async Task WaitForStateAsync(IJobStorage storage, string jobId, string state)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!deadline.IsCancellationRequested)
        {
            var details = await storage.Monitoring.GetJobDetailsAsync(jobId, CancellationToken.None);
            if (details?.Summary.StateName == state)
            {
                return;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        Assert.Fail($"Job {jobId} did not reach {state} in time.");
    }
}
