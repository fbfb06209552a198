using System.Reflection;

namespace Jobs.Server;

/// <summary>Says at start which job assemblies of <c>Jobs:Server:JobAssemblies</c> the server runs jobs from, and from where.</summary>
internal sealed class JobAssemblyStartupLog(IReadOnlyList<Assembly> assemblies, ILogger<JobAssemblyStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var assembly in assemblies)
        {
            var name = assembly.GetName();
            JobsHostLog.JobAssemblyLoaded(logger, name.Name ?? assembly.FullName ?? "?", name.Version?.ToString() ?? "?", assembly.Location);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
