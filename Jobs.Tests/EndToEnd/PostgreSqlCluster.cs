using System.Diagnostics;

namespace Jobs.Tests.EndToEnd;

/// <summary>The test run's PostgreSQL server as <c>scripts/test.sh</c> describes it, for tests that restart it.</summary>
internal sealed class PostgreSqlCluster
{
    private readonly string _bin;
    private readonly string _data;
    private readonly string _osUser;
    private readonly string _log;

    private PostgreSqlCluster(string bin, string data, string osUser, string log)
    {
        _bin = bin;
        _data = data;
        _osUser = osUser;
        _log = log;
    }

    /// <summary>The cluster named by JOBS_TEST_PG_BIN, _DATA, _OSUSER and _LOG; ignores (under CI fails) the test when they are missing.</summary>
    public static PostgreSqlCluster FromEnvironment()
    {
        var bin = Environment.GetEnvironmentVariable("JOBS_TEST_PG_BIN");
        var data = Environment.GetEnvironmentVariable("JOBS_TEST_PG_DATA");
        var osUser = Environment.GetEnvironmentVariable("JOBS_TEST_PG_OSUSER");
        var log = Environment.GetEnvironmentVariable("JOBS_TEST_PG_LOG");
        if (string.IsNullOrEmpty(bin) || string.IsNullOrEmpty(data) || string.IsNullOrEmpty(osUser) || string.IsNullOrEmpty(log))
        {
            const string message = "JOBS_TEST_PG_BIN, JOBS_TEST_PG_DATA, JOBS_TEST_PG_OSUSER and JOBS_TEST_PG_LOG are needed to restart PostgreSQL: run the tests through scripts/test.sh.";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        return new PostgreSqlCluster(bin!, data!, osUser!, log!);
    }

    /// <summary>
    /// <c>pg_ctl restart -m <paramref name="mode"/> -w</c>: every connection is cut, the server comes back; returns pg_ctl's output.
    /// <c>fast</c> is an orderly restart; <c>immediate</c> is a crash followed by recovery.
    /// </summary>
    public async Task<string> RestartAsync(string mode = "fast")
    {
        string[] pgCtl = [Path.Combine(_bin, "pg_ctl"), "restart", "-D", _data, "-m", mode, "-w", "-t", "60", "-l", _log];
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : pgCtl[0])
        {
            WorkingDirectory = "/", // the server's user may not read the test's directory
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in asRoot ? ["-u", _osUser, "--", .. pgCtl] : pgCtl[1..])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("pg_ctl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl restart failed with exit code {process.ExitCode}: {text}");
        }

        return text;
    }
}
