using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Jobs.Server.Health;

/// <summary>
/// Readiness of the job storage: for PostgreSQL, the database answers and its schema holds every migration this
/// server needs; the in-memory storage lives in the process and is always ready.
/// </summary>
internal sealed class JobsStorageHealthCheck : IHealthCheck
{
    private readonly JobStorageProbe _probe;

    public JobsStorageHealthCheck(JobStorageProbe probe)
    {
        _probe = probe;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await _probe.ProbeAsync(cancellationToken);
        var data = result.Data ?? new Dictionary<string, object>();
        if (result.IsReady)
        {
            return HealthCheckResult.Healthy(result.Description, data);
        }

        var description = result.IsReachable || result.Exception is OperationCanceledException
            ? result.Description
            : "PostgreSQL is unreachable: " + result.Description;
        // The description names the failure; its stack trace would be logged again on every probe of an orchestrator.
        return new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
    }
}
