namespace Jobs.Tasks;

/// <summary>Finds <c>pg_dump</c> when no path is configured: on <c>PATH</c> first, then the newest Debian-style install.</summary>
internal static class PgDumpLocator
{
    private const string Executable = "pg_dump";
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>The full path of pg_dump, or null when there is none on PATH or under /usr/lib/postgresql/*/bin.</summary>
    public static string? Find() => FindOnPath(Environment.GetEnvironmentVariable("PATH")) ?? FindNewestUnder(DebianRoot);

    internal static string? FindOnPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var names = OperatingSystem.IsWindows() ? new[] { Executable + ".exe" } : [Executable];
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The pg_dump of the highest version directory under <paramref name="root"/> (<c>16</c> before <c>9.6</c>).</summary>
    internal static string? FindNewestUnder(string root)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(dir => (Version: Version.TryParse(WithMinor(Path.GetFileName(dir)), out var v) ? v : null, Path: Path.Combine(dir, "bin", Executable)))
            .Where(candidate => candidate.Version is not null && File.Exists(candidate.Path))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Path)
            .FirstOrDefault();
    }

    private static string WithMinor(string name) => name.Contains('.', StringComparison.Ordinal) ? name : name + ".0";
}
