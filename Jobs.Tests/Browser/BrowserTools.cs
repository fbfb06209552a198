namespace Jobs.Tests.Browser;

/// <summary>
/// What a browser test needs from the machine: Node.js, Debian's Chromium and <c>playwright-core</c> installed next
/// to the test's script (<c>Jobs.Tests/Browser/node_modules</c>). <c>scripts/test.sh</c> installs all three; anything
/// missing fails the test with a message naming it.
/// </summary>
internal sealed record BrowserTools(string Node, string Chromium, string ScriptDirectory)
{
    public const string NodeVariable = "JOBS_TEST_NODE";
    public const string ChromiumVariable = "JOBS_TEST_CHROMIUM";
    public const string ScriptName = "dashboard-e2e.mjs";

    public static BrowserTools Require()
    {
        var missing = new List<string>();
        var node = Environment.GetEnvironmentVariable(NodeVariable) is { Length: > 0 } configuredNode ? configuredNode : OnPath("node");
        if (node is null || !File.Exists(node))
        {
            missing.Add($"Node.js (no 'node' on PATH{(node is null ? string.Empty : $"; {NodeVariable} names '{node}', which does not exist")})");
        }

        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configuredChromium ? configuredChromium : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            missing.Add($"Chromium ({chromium} does not exist; Debian package 'chromium')");
        }

        var scriptDirectory = FindScriptDirectory();
        if (scriptDirectory is null)
        {
            missing.Add($"the test's script (Jobs.Tests/Browser/{ScriptName} was not found above {AppContext.BaseDirectory})");
        }
        else if (!File.Exists(Path.Combine(scriptDirectory, "node_modules", "playwright-core", "package.json")))
        {
            missing.Add($"playwright-core (not installed in {scriptDirectory}; run 'npm ci' there)");
        }

        if (missing.Count > 0)
        {
            // A missing browser fails the test everywhere: a skipped browser test would pass without showing anything.
            Assert.Fail("The browser test cannot run; missing: " + string.Join(", ", missing) + ". scripts/test.sh installs all of it.");
        }

        return new BrowserTools(node!, chromium, scriptDirectory!);
    }

    /// <summary>The repository's <c>Jobs.Tests/Browser</c> folder, found from the tests' bin folder upwards.</summary>
    private static string? FindScriptDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Jobs.Tests", "Browser");
            if (File.Exists(Path.Combine(candidate, ScriptName)))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
}
