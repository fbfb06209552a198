using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Dashboard;

/// <summary>The dashboard's own access check, for a host's middleware that answers dashboard requests before the dashboard does.</summary>
public static class JobsDashboardHttpContextExtensions
{
    /// <summary>
    /// When the request may not read the dashboard (by the <see cref="JobsDashboardOptions"/> registered with
    /// <c>AddJobsDashboard</c>: local requests only by default), answers it as the dashboard would — the host's sign-in
    /// challenge or access-denied answer where it has one, else a 401 or 403 page, or with <paramref name="json"/> the
    /// API's JSON — and returns true. Returns false, writing nothing, when the request may read the dashboard.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="json">Whether the request is one of the dashboard's JSON API.</param>
    public static async Task<bool> RefuseUnlessDashboardViewerAsync(this HttpContext http, bool json)
    {
        ArgumentNullException.ThrowIfNull(http);
        var options = http.RequestServices.GetService<IOptions<JobsDashboardOptions>>()?.Value ?? new JobsDashboardOptions();
        var access = await DashboardAuthorizer.GetAccessAsync(http, options);
        if (access is not (DashboardAccess.Unauthenticated or DashboardAccess.Forbidden))
        {
            return false;
        }

        await JobsDashboardEndpointRouteBuilderExtensions.RefuseAsync(http, new DashboardMount(PathString.Empty, options), access, json);
        return true;
    }
}
