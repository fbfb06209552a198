using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Jobs.Server;

/// <summary>
/// Loads the application's job assemblies named by <c>Jobs:Server:JobAssemblies</c>, so jobs that other
/// applications enqueue — their classes live in the application, not in Jobs.Tasks — run on this server.
/// Stored jobs name their types without assembly versions, and <see cref="Common.TypeNames"/> looks among
/// the loaded assemblies first, so the file deployed here may be another build than the one that enqueued.
/// The dependencies of a job assembly are looked up next to it (through its <c>.deps.json</c> when there is one).
/// </summary>
internal static class JobAssemblyLoader
{
    public const string ConfigurationKey = "Jobs:Server:JobAssemblies";

    private static readonly ConcurrentDictionary<string, AssemblyDependencyResolver> Resolvers = new(StringComparer.Ordinal);
    private static int _resolvingHooked;

    /// <summary>
    /// Loads every configured job assembly (relative paths are read from the host's content root). Throws
    /// <see cref="InvalidOperationException"/> naming every entry that is missing or not a .NET assembly, before
    /// any is loaded, so a server never starts without the jobs it was told to run.
    /// </summary>
    public static IReadOnlyList<Assembly> Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var contentRoot = configuration[HostDefaults.ContentRootKey];
        return Load(ConfiguredPaths(configuration), string.IsNullOrWhiteSpace(contentRoot) ? Directory.GetCurrentDirectory() : contentRoot);
    }

    /// <summary>The configured entries: a list (<c>JobAssemblies:0</c>, <c>:1</c>, …) or a single path.</summary>
    public static IReadOnlyList<string> ConfiguredPaths(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ConfigurationKey);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return [section.Value];
        }

        return section.GetChildren().Select(child => child.Value ?? string.Empty).ToList();
    }

    /// <summary>Loads the assemblies at <paramref name="configuredPaths"/>, relative ones read from <paramref name="contentRoot"/>.</summary>
    public static IReadOnlyList<Assembly> Load(IReadOnlyList<string> configuredPaths, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuredPaths);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentRoot);
        var problems = new List<string>();
        var found = new List<(string Path, AssemblyName Name)>();
        for (var i = 0; i < configuredPaths.Count; i++)
        {
            var configured = configuredPaths[i];
            var key = $"{ConfigurationKey}:{i}";
            if (string.IsNullOrWhiteSpace(configured))
            {
                problems.Add($"{key} is empty; give the path of a .dll file.");
                continue;
            }

            var path = Path.GetFullPath(configured, contentRoot);
            if (!File.Exists(path))
            {
                problems.Add(Path.IsPathRooted(configured)
                    ? $"{key}: the job assembly '{path}' does not exist."
                    : $"{key}: the job assembly '{configured}' does not exist (looked at '{path}'; relative paths are read from the content root '{contentRoot}').");
                continue;
            }

            try
            {
                found.Add((path, AssemblyName.GetAssemblyName(path)));
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
            {
                problems.Add($"{key}: '{path}' is not a .NET assembly ({ex.Message}).");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The job assemblies of {ConfigurationKey} could not be loaded:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }

        return found.Select(f => LoadOne(f.Path, f.Name)).ToList();
    }

    private static Assembly LoadOne(string path, AssemblyName name)
    {
        // One copy per name: a job assembly the server already has (e.g. Jobs.Tasks) is used as it is.
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.Ordinal));
        if (loaded is not null)
        {
            return loaded;
        }

        Resolvers.TryAdd(path, new AssemblyDependencyResolver(path));
        if (Interlocked.Exchange(ref _resolvingHooked, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveDependency;
        }

        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException($"{ConfigurationKey}: the job assembly '{path}' could not be loaded: {ex.Message}", ex);
        }
    }

    private static Assembly? ResolveDependency(AssemblyLoadContext context, AssemblyName name)
    {
        foreach (var resolver in Resolvers.Values)
        {
            if (resolver.ResolveAssemblyToPath(name) is { } path && File.Exists(path))
            {
                return context.LoadFromAssemblyPath(path);
            }
        }

        return null;
    }
}
