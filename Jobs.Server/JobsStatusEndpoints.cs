using Jobs.Storage;

namespace Jobs.Server;

/// <summary>A small JSON status of the server and its storage at <c>/status</c>, for scripts; <c>/</c> leads to the dashboard.</summary>
public static class JobsStatusEndpoints
{
    public static IEndpointRouteBuilder MapJobsStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/status", async (IJobStorage storage, CancellationToken cancellationToken) =>
        {
            var statistics = await storage.Monitoring.GetStatisticsAsync(cancellationToken);
            var servers = await storage.Monitoring.GetServersAsync(cancellationToken);
            var recurring = await storage.Monitoring.GetRecurringJobsAsync(cancellationToken);
            return Results.Json(new
            {
                storage = storage.GetType().Name,
                statistics,
                servers,
                recurring = recurring.Select(r => new { r.Id, r.Cron, r.TimeZoneId, r.Queue, r.Paused, r.NextExecution, r.LastExecution, r.LastJobId, r.LastJobState }),
            });
        });
        endpoints.MapGet("/", () => Results.Redirect("/jobs"));
        return endpoints;
    }
}
