using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// A .NET program started as a real child process (<c>dotnet &lt;dll&gt;</c>) whose output is kept for failure
/// messages. <see cref="DisposeAsync"/> kills it if it still runs, so no test leaves a process behind.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private bool _disposed;
    private int? _exitCode;
    private int _pid;

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The label the test gave it (also its server name, for job servers).</summary>
    public string Name { get; }

    public int Pid => _pid;

    public bool HasExited => _disposed || _process.HasExited;

    public int? ExitCode => _disposed ? _exitCode : _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> [<paramref name="args"/>]</c> in the dll's folder with <paramref name="environment"/> added to the test's environment.</summary>
    public static ServerProcess Start(string name, string dll, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? args = null)
    {
        var info = new ProcessStartInfo(DotNet(), [dll, .. args ?? []])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        // The test run's own settings must not leak into the server (e.g. a test SDK's launch profile).
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}: dotnet {dll}");
        }

        server._pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>SIGTERM: what systemd or docker send; the host shuts down gracefully.</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill.</summary>
    public void KillHard() => Signal(SigKill);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A block for a failure message: name, pid, exit code and the full output.</summary>
    public string Describe() =>
        $"--- {Name} (pid {_pid}, {(HasExited ? $"exited with {ExitCode}" : "running")}) ---{Environment.NewLine}{Output}";

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            _exitCode = _process.HasExited ? _process.ExitCode : null;
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _disposed = true;
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (HasExited)
        {
            return;
        }

        if (Kill(_pid, signal) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (!_process.HasExited)
            {
                throw new InvalidOperationException($"kill({_pid}, {signal}) failed with errno {error}.");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The dotnet host running the tests (the CLI sets DOTNET_HOST_PATH for its children), else dotnet on PATH.</summary>
    private static string DotNet()
    {
        var path = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(path) && File.Exists(path))
        {
            return path;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
