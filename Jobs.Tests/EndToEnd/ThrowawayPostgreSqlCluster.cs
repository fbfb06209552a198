using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// A PostgreSQL cluster of one test's own, on a free port of 127.0.0.1, made with the binaries of the test run's cluster
/// (<c>JOBS_TEST_PG_BIN</c>, run as <c>JOBS_TEST_PG_OSUSER</c> like <c>scripts/test.sh</c> does): created stopped, so a
/// test can start a program against a database that is not there yet and bring it up later. Trust authentication;
/// <see cref="DisposeAsync"/> stops it and removes its files.
/// </summary>
internal sealed class ThrowawayPostgreSqlCluster : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly string _osUser;
    private readonly string _data;

    private ThrowawayPostgreSqlCluster(string bin, string osUser, string data, int port)
    {
        _bin = bin;
        _osUser = osUser;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Timeout=5";

    /// <summary>Runs initdb in a new directory under the temporary folder; the cluster is not started.</summary>
    public static async Task<ThrowawayPostgreSqlCluster> CreateAsync()
    {
        var bin = Environment.GetEnvironmentVariable("JOBS_TEST_PG_BIN");
        var osUser = Environment.GetEnvironmentVariable("JOBS_TEST_PG_OSUSER");
        if (string.IsNullOrEmpty(bin) || string.IsNullOrEmpty(osUser))
        {
            const string message = "JOBS_TEST_PG_BIN and JOBS_TEST_PG_OSUSER are needed to make a cluster: run the tests through scripts/test.sh.";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        var data = Path.Combine(Path.GetTempPath(), "jobs-throwaway-pg-" + Guid.NewGuid().ToString("N")[..10]);
        var cluster = new ThrowawayPostgreSqlCluster(bin!, osUser!, data, FreePort());
        await cluster.RunAsync("initdb", "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth=trust", "--no-sync");
        return cluster;
    }

    /// <summary><c>pg_ctl start -w</c> on <see cref="Port"/>.</summary>
    public Task StartAsync() =>
        RunAsync(
            "pg_ctl", "start", "-D", _data, "-w", "-t", "60", "-l", Path.Combine(_data, "server.log"),
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_data} -c listen_addresses=127.0.0.1 -c fsync=off");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            try
            {
                await RunAsync("pg_ctl", "stop", "-D", _data, "-m", "immediate", "-w", "-t", "30");
            }
            catch (InvalidOperationException ex)
            {
                await TestContext.Out.WriteLineAsync($"Stopping the throwaway cluster failed: {ex.Message}");
            }
        }

        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL program as the cluster's OS user (through runuser when the tests run as root).</summary>
    private async Task RunAsync(string program, params string[] arguments)
    {
        var path = Path.Combine(_bin, program);
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : path)
        {
            WorkingDirectory = "/", // the server's user may not read the test's directory
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in asRoot ? ["-u", _osUser, "--", path, .. arguments] : arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await output}{await error}");
        }
    }
}
