using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jobs.Tests.Alerts;

/// <summary>
/// A real SMTP server for the tests: Debian's python3-aiosmtpd with its Mailbox handler, which keeps
/// every message as a file in a maildir. Started and stopped by the test, on a port of its own.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private Process? _process;

    public SmtpTestServer()
    {
        Port = FreePort();
        MailDir = Path.Combine(Path.GetTempPath(), $"jobs-alerts-smtp-{Guid.NewGuid():N}");
    }

    public int Port { get; }

    public string MailDir { get; }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: the SMTP tests need Debian's python3 with python3-aiosmtpd (scripts/test.sh installs it).");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDir })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { errors.Enqueue(e.Data); } };
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"aiosmtpd exited with {_process.ExitCode} (is python3-aiosmtpd installed?): {string.Join(Environment.NewLine, errors)}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    /// <summary>Stops the server by its process; the messages stay in <see cref="MailDir"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>Every message received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var inbox = Path.Combine(MailDir, "new");
        if (!Directory.Exists(inbox))
        {
            return [];
        }

        return Directory.GetFiles(inbox)
            .Select(f => new FileInfo(f))
            .OrderBy(f => f.LastWriteTimeUtc)
            .Select(f => ReceivedMail.Parse(File.ReadAllText(f.FullName)))
            .ToList();
    }

    /// <summary>Waits until a message matching <paramref name="match"/> has arrived; fails the test after a generous deadline.</summary>
    public async Task<ReceivedMail> WaitForMessageAsync(Func<ReceivedMail, bool> match, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested)
        {
            var found = Messages().FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100, CancellationToken.None);
        }

        Assert.Fail($"No {what} arrived within 60 s; received: {string.Join(" | ", Messages().Select(m => m.Subject))}");
        throw new InvalidOperationException("unreachable");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(MailDir))
        {
            Directory.Delete(MailDir, recursive: true);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
