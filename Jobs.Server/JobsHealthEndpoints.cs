using Jobs.Server.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Server;

/// <summary>
/// Liveness at <c>/health</c> (the process answers) and readiness at <c>/health/ready</c> (the storage is reachable and
/// its schema current), as JSON naming each check; 503 when a check fails. Both are anonymous, whatever protects the
/// dashboard: orchestrators and load balancers probe them without credentials, and they reveal no job data.
/// </summary>
public static class JobsHealthEndpoints
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Registers the <c>process</c> (liveness) and <c>storage</c> (readiness) health checks.</summary>
    public static IServiceCollection AddJobsHealthChecks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<JobStorageProbe>();
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process answers requests."), [LiveTag])
            .AddCheck<JobsStorageHealthCheck>("storage", HealthStatus.Unhealthy, [ReadyTag]);
        return services;
    }

    /// <summary>Maps <c>{prefix}</c> (checks tagged <see cref="LiveTag"/>) and <c>{prefix}/ready</c> (checks tagged <see cref="ReadyTag"/>), anonymous.</summary>
    public static IEndpointConventionBuilder MapJobsHealth(this IEndpointRouteBuilder endpoints, string prefix = "/health")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.MapHealthChecks(string.Empty, Options(LiveTag));
        group.MapHealthChecks("/ready", Options(ReadyTag));
        return group.AllowAnonymous();
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = JobsHealthResponseWriter.WriteAsync,
    };
}
