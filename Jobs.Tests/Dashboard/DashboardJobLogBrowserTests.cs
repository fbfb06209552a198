using System.Diagnostics;
using Jobs.Dashboard;
using Jobs.States;
using Jobs.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Dashboard;

/// <summary>
/// The live tail of a running job's log in a real browser (headless Chromium, Debian's <c>chromium</c>): the dashboard
/// and a job server on Kestrel, a job that writes lines while the page is open. Serving the page lets the job go on, and
/// the DOM the browser ends with (its timers run on virtual time for a few seconds) is checked.
/// </summary>
[TestFixture]
public sealed class DashboardJobLogBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private WebApplication _app = null!;
    private string _baseUrl = null!;
    private Func<Task>? _afterFirstPage;
    private int _polls;

    private LiveLogGates Gates => _app.Services.GetRequiredService<LiveLogGates>();

    private IJobStorage Storage => _app.Services.GetRequiredService<IJobStorage>();

    [SetUp]
    public async Task SetUp()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"These tests need a real browser at {Chromium} (Debian package chromium; scripts/test.sh installs it).");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<LiveLogGates>();
        builder.Services.AddJobs(o => o.UseInMemoryStorage());
        builder.Services.AddJobsServer(o =>
        {
            o.ServerName = "browser";
            o.WorkerCount = 1;
            o.QueuePollInterval = TimeSpan.FromMilliseconds(100);
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
        });
        builder.Services.AddJobsDashboard();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path.EndsWith("/log", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _polls);
            }

            await next(context);

            // The page is rendered (job Processing) but its response not finished yet, so the browser's script starts
            // only after the job went on: its first poll then finds what happened meanwhile, whatever the browser's clock.
            if (path.StartsWith("/jobs/job/", StringComparison.Ordinal) && Interlocked.Exchange(ref _afterFirstPage, null) is { } afterFirstPage)
            {
                await afterFirstPage();
            }
        });
        _app.MapJobsDashboard("/jobs");
        await _app.StartAsync();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    [TearDown]
    public async Task TearDown()
    {
        Gates.Middle.TrySetResult();
        Gates.Finish.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task JobPage_AppendsLinesTheJobWritesWhileItRuns_EscapedAndWithoutAReload()
    {
        var id = await StartJobAsync();
        _afterFirstPage = async () =>
        {
            Gates.Middle.TrySetResult();
            await WaitForLinesAsync(id, 2);
        };

        var dom = await RenderAsync($"/jobs/job/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(_polls, Is.GreaterThanOrEqualTo(1), "the page should have polled the log");
            Assert.That(dom, Does.Contain(">started<"));
            Assert.That(dom, Does.Contain("middle &lt;b&gt;not bold&lt;/b&gt;"), "the new line, appended as text");
            Assert.That(dom, Does.Contain("data-state=\"Processing\""), "still the first page: no reload while the job runs");
            Assert.That(dom, Does.Not.Contain(">finished<"));
        });
    }

    [Test]
    public async Task JobPage_ShowsTheFinalStateAndEveryLine_WhenTheJobSucceedsWhileOpen()
    {
        var id = await StartJobAsync();
        _afterFirstPage = async () =>
        {
            Gates.Middle.TrySetResult();
            Gates.Finish.TrySetResult();
            await WaitForStateAsync(id, SucceededState.StateName);
        };

        var dom = await RenderAsync($"/jobs/job/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(dom, Does.Contain("state-Succeeded"), $"polls: {_polls}");
            Assert.That(dom, Does.Not.Contain("data-state=\"Processing\""), "the page was reloaded once the job had left Processing");
            Assert.That(dom, Does.Contain(">started<").And.Contain("middle &lt;b&gt;not bold&lt;/b&gt;").And.Contain(">finished<"));
        });
    }

    private async Task<string> StartJobAsync()
    {
        var client = _app.Services.GetRequiredService<IBackgroundJobClient>();
        var id = await client.EnqueueAsync<LiveLogJob>(j => j.RunAsync(null!, CancellationToken.None));
        await Gates.Started.Task.WaitAsync(Patience);
        await WaitForLinesAsync(id, 1);
        return id;
    }

    /// <summary>Loads the page in headless Chromium, lets its timers run for a few (virtual) seconds, and returns the DOM.</summary>
    private async Task<string> RenderAsync(string path)
    {
        var profile = Directory.CreateTempSubdirectory("jobs-chromium-");
        try
        {
            var start = new ProcessStartInfo(Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.FullName,
                         "--virtual-time-budget=6000", "--dump-dom", _baseUrl + path,
                     })
            {
                start.ArgumentList.Add(argument);
            }

            using var browser = Process.Start(start)!;
            var stderr = browser.StandardError.ReadToEndAsync();
            var dom = await browser.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await browser.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(dom, Does.Contain("</html>"), "Chromium printed no page: " + await stderr);
            return dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private async Task WaitForLinesAsync(string id, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None)).Count < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"Job {id} did not write {count} lines in time.");
            await Task.Delay(20);
        }
    }

    private async Task WaitForStateAsync(string id, string state)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await Storage.GetJobAsync(id, CancellationToken.None))?.StateName != state)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"Job {id} did not reach {state} in time.");
            await Task.Delay(20);
        }
    }
}
