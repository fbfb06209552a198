using System.Diagnostics;
using System.Text;
using Jobs.Tests.EndToEnd;

namespace Jobs.Tests.Cli;

/// <summary>
/// Runs the built Jobs.Server (<c>dotnet Jobs.Server.dll &lt;args&gt;</c>) as a real process in its own folder, as a user
/// would, with an environment of the test's choosing: the test run's own ASP.NET Core and Jobs settings are removed first.
/// </summary>
internal static class CliProcess
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Runs a command to its end; <paramref name="input"/> (when given) is written to its standard input, which is then closed.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? input = null)
    {
        using var process = new Process { StartInfo = StartInfo(args, environment) };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Jobs.Server {string.Join(' ', args)} did not finish within {Patience.TotalSeconds:0} s.{System.Environment.NewLine}{output}{error}");
        }

        process.WaitForExit(); // the end of the redirected streams
        lock (output)
        {
            lock (error)
            {
                return new CliResult(string.Join(' ', args), process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }

    /// <summary>Starts a long-running command (<c>run</c>); the caller disposes the process, which kills it if it still runs.</summary>
    public static ServerProcess Start(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment) =>
        ServerProcess.Start(name, Binaries.JobsServer, environment, args);

    /// <summary>An environment without a jobs database, with <paramref name="settings"/> added.</summary>
    public static Dictionary<string, string?> Environment(params (string Key, string? Value)[] settings)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        var dll = Binaries.JobsServer;
        var info = new ProcessStartInfo(DotNet())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Jobs__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Alerts__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Tasks__", StringComparison.OrdinalIgnoreCase)
                || key is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT")
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    internal static string DotNet()
    {
        var path = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(path) && File.Exists(path))
        {
            return path;
        }

        var current = System.Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
