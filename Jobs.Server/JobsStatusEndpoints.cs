using Jobs.Dashboard;
using Jobs.Storage;

namespace Jobs.Server;

/// <summary>
/// A small JSON status of the server and its storage at <c>/status</c>, for scripts; <c>/</c> leads to the dashboard.
/// The status shows job data (counts, servers, recurring jobs), so it follows the dashboard's read access: local
/// requests only by default, or a dashboard user (viewer or admin) through HTTP Basic when <c>Jobs:Dashboard:Users</c>
/// is set. Monitors that need no credentials probe <c>/health</c> and <c>/health/ready</c>.
/// </summary>
public static class JobsStatusEndpoints
{
    /// <summary>Where the status is served.</summary>
    public const string Path = "/status";

    public static IEndpointRouteBuilder MapJobsStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (IJobStorage storage, CancellationToken cancellationToken) =>
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
        }).RequireJobsDashboardViewer();
        endpoints.MapGet("/", () => Results.Redirect("/jobs"));
        return endpoints;
    }
}
