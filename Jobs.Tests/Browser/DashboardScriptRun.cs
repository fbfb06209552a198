using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Jobs.Tests.Browser;

/// <summary>
/// One run of <c>dashboard-e2e.mjs</c>: what it checked, what it found missing and the screenshots it took, read
/// from the JSON line it prints last; plus everything it wrote, for a failure message.
/// </summary>
internal sealed record DashboardScriptRun(
    bool Ok,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> Checks,
    IReadOnlyList<string> Screenshots,
    string? Flash,
    int ExitCode,
    string Output)
{
    /// <summary>
    /// Runs the script against the dashboard at <paramref name="dashboardUrl"/>, signing in as <paramref name="user"/> first when
    /// one is given; kills it if it takes longer than <paramref name="timeout"/>.
    /// </summary>
    public static async Task<DashboardScriptRun> RunAsync(
        BrowserTools tools, string dashboardUrl, string jobId, string screenshotDirectory, TimeSpan timeout, (string Name, string Password)? user = null)
    {
        var info = new ProcessStartInfo(tools.Node)
        {
            WorkingDirectory = tools.ScriptDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     BrowserTools.ScriptName, "--url", dashboardUrl, "--job", jobId, "--screenshots", screenshotDirectory,
                     "--chromium", tools.Chromium,
                 })
        {
            info.ArgumentList.Add(argument);
        }

        if (user is { } signIn)
        {
            foreach (var argument in new[] { "--user", signIn.Name, "--password", signIn.Password })
            {
                info.ArgumentList.Add(argument);
            }
        }

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"{BrowserTools.ScriptName} did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Describe(stdout, stderr)}");
            }
        }

        process.WaitForExit(); // drains the redirected output
        var output = Describe(stdout, stderr);
        var last = Lock(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null || !last.StartsWith('{'))
        {
            Assert.Fail($"{BrowserTools.ScriptName} exited with {process.ExitCode} without its JSON result.{Environment.NewLine}{output}");
        }

        using var json = JsonDocument.Parse(last!);
        var root = json.RootElement;
        return new DashboardScriptRun(
            root.GetProperty("ok").GetBoolean(),
            Strings(root, "failures"),
            Strings(root, "checks"),
            Strings(root, "screenshots"),
            root.TryGetProperty("flash", out var flash) && flash.ValueKind == JsonValueKind.String ? flash.GetString() : null,
            process.ExitCode,
            output);
    }

    private static IReadOnlyList<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Lock(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static string Describe(StringBuilder stdout, StringBuilder stderr) =>
        $"--- node stdout ---{Environment.NewLine}{Lock(stdout)}--- node stderr ---{Environment.NewLine}{Lock(stderr)}";
}
