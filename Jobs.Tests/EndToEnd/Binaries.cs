namespace Jobs.Tests.EndToEnd;

/// <summary>
/// Where the programs the end-to-end tests start are built. Jobs.Tests references both projects, so they are
/// built with the tests in the same configuration (Release under scripts/test.sh, Debug by hand).
/// </summary>
internal static class Binaries
{
    /// <summary>
    /// Jobs.Tests.Host.dll in its own bin folder. Not the copy next to the tests: Jobs.Tests also references
    /// Jobs.Server (the alert tests), whose ASP.NET Core framework reference keeps the Microsoft.Extensions
    /// assemblies the host needs out of the tests' folder.
    /// </summary>
    public static string TestHost => Find("Jobs.Tests.Host", nextToTests: false);

    /// <summary>Jobs.Server.dll in Jobs.Server/bin/&lt;Configuration&gt;/&lt;framework&gt;.</summary>
    public static string JobsServer => Find("Jobs.Server", nextToTests: false);

    private static string Find(string project, bool nextToTests)
    {
        var testDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tried = new List<string>();
        if (nextToTests)
        {
            var local = Path.Combine(testDirectory, project + ".dll");
            tried.Add(local);
            if (File.Exists(local) && File.Exists(Path.Combine(testDirectory, project + ".runtimeconfig.json")))
            {
                return local;
            }
        }

        // …/Jobs.Tests/bin/<Configuration>/<framework>/ → …/<project>/bin/<Configuration>/<framework>/<project>.dll
        var framework = Path.GetFileName(testDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDirectory)!);
        for (var directory = new DirectoryInfo(testDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Jobs.sln")))
            {
                continue;
            }

            foreach (var config in new[] { configuration, "Release", "Debug" }.Distinct())
            {
                var candidate = Path.Combine(directory.FullName, project, "bin", config, framework, project + ".dll");
                tried.Add(candidate);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            break;
        }

        throw new FileNotFoundException($"{project}.dll was not found; build the solution first. Looked at: {string.Join(", ", tried)}");
    }
}
