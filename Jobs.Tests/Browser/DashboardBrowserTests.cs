using System.Text.RegularExpressions;
using Jobs.States;
using Jobs.TestHost;
using Jobs.Tests.EndToEnd;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Tests.Browser;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium driven by playwright-core through <c>dashboard-e2e.mjs</c>),
/// served by <c>Jobs.Server</c> running as a real process on the test PostgreSQL. The job comes from another
/// application's assembly (Jobs.Tests.Host, loaded through <c>Jobs:Server:JobAssemblies</c>), fails on its first
/// attempt without automatic retries. One admin is configured in <c>Jobs:Dashboard:Users</c>: the browser is sent to
/// the sign-in page, signs in, retries the job from the Failed page and signs out.
/// Screenshots (light, dark, phone) are attached to the result and kept in <c>TestResults/screenshots</c>.
/// </summary>
[TestFixture]
[Category("Browser")]
public sealed partial class DashboardBrowserTests : EndToEndTestBase
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private const string AdminName = "ada";
    private const string AdminPassword = "browser test password 1";

    private string? _attemptFile;

    [TearDown]
    public void RemoveAttemptFile()
    {
        if (_attemptFile is not null && File.Exists(_attemptFile))
        {
            File.Delete(_attemptFile);
        }
    }

    [Test]
    public async Task Browser_AdminSignsInRetriesFailedJobFromFailedPageAndSignsOut_AndJobPageShowsSucceeded()
    {
        var tools = BrowserTools.Require();
        var screenshots = ScreenshotDirectory();
        _attemptFile = Path.Combine(Path.GetTempPath(), $"jobs-browser-{Guid.NewGuid():N}.attempt");
        var server = StartJobsServer("jobs-server-dashboard", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Jobs"] = ConnectionString,
            ["ConnectionStrings__App"] = ConnectionString,
            ["Jobs__PostgreSql__SchemaName"] = Schema,
            ["Jobs__Server__ServerName"] = "e2e-dashboard",
            ["Jobs__Server__WorkerCount"] = "2",
            ["Jobs__Server__QueuePollInterval"] = "00:00:01",
            ["Jobs__Server__JobAssemblies__0"] = Binaries.TestHost,
            ["Tasks__cleanup-expired-sessions__Enabled"] = "false",
            ["Jobs__Dashboard__Users__0__Name"] = AdminName,
            ["Jobs__Dashboard__Users__0__PasswordHash"] = new PasswordHasher<string>().HashPassword(AdminName, AdminPassword),
            ["Jobs__Dashboard__Users__0__Role"] = "admin",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });
        string? listening = null;
        await WaitUntilAsync(
            () => Task.FromResult((listening = ListeningUrl(server.Output)) is not null || server.HasExited),
            () => "Jobs.Server to say where it listens");
        Assert.That(listening, Is.Not.Null, $"Jobs.Server did not start{Environment.NewLine}{server.Describe()}");
        await WaitUntilAsync(async () => await ServerIdOfAsync("e2e-dashboard") is not null, () => "Jobs.Server to announce itself");
        Assert.That(server.Output, Does.Contain("Job assembly Jobs.Tests.Host"), "Jobs.Server logs the job assembly it loaded");

        var jobId = await Client.EnqueueAsync<FailsOnceJob>(j => j.RunAsync(_attemptFile, CancellationToken.None));
        await WaitForStateAsync(jobId, FailedState.StateName);

        var run = await DashboardScriptRun.RunAsync(tools, listening + "/jobs", jobId, screenshots, ScriptTimeout, (AdminName, AdminPassword));
        foreach (var screenshot in run.Screenshots.Where(File.Exists))
        {
            TestContext.AddTestAttachment(screenshot, Path.GetFileNameWithoutExtension(screenshot));
        }

        Assert.That(run.Failures, Is.Empty,
            $"The dashboard in Chromium: {string.Join(Environment.NewLine, run.Failures)}{Environment.NewLine}"
            + $"Passed checks: {string.Join("; ", run.Checks)}{Environment.NewLine}{run.Output}{Environment.NewLine}{DescribeProcesses()}");
        Assert.That(run.Ok, Is.True, run.Output);

        var history = await HistoryOfAsync(jobId);
        Assert.Multiple(() =>
        {
            Assert.That(history.Select(h => h.State), Is.EqualTo(new[]
            {
                EnqueuedState.StateName, ProcessingState.StateName, FailedState.StateName,
                EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName,
            }), $"the job's states: {FormatHistory(jobId)}");
            Assert.That(history[3].Reason, Does.Contain("dashboard"), "the second Enqueued came from the dashboard's Retry");
            Assert.That(run.Flash, Does.Contain(jobId), "the dashboard said which job it retried");
            Assert.That(run.Screenshots.Select(Path.GetFileName), Is.SupersetOf(new[]
            {
                "sign-in-light.png", "sign-in-dark.png", "phone-sign-in-light.png",
                "overview-light.png", "overview-dark.png", "failed-light.png", "failed-dark.png",
                "job-succeeded-light.png", "job-succeeded-dark.png", "phone-overview-light.png", "phone-overview-dark.png",
            }));
        });
    }

    /// <summary><c>$JOBS_TEST_RESULTS/screenshots</c> (scripts/test.sh), else <c>TestResults/screenshots</c> at the repository's root; emptied of older screenshots.</summary>
    private static string ScreenshotDirectory()
    {
        var results = Environment.GetEnvironmentVariable("JOBS_TEST_RESULTS");
        if (string.IsNullOrWhiteSpace(results))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Jobs.sln")))
            {
                root = root.Parent;
            }

            results = Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "TestResults");
        }

        var directory = Path.Combine(results, "screenshots");
        Directory.CreateDirectory(directory);
        foreach (var old in Directory.EnumerateFiles(directory, "*.png"))
        {
            File.Delete(old);
        }

        return directory;
    }

    private static string? ListeningUrl(string output)
    {
        var match = ListeningPattern().Match(output);
        return match.Success ? match.Groups[1].Value.TrimEnd('/') : null;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningPattern();
}
