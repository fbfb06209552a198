using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Dashboard;

/// <summary>The dashboard's own access rules for a host's other endpoints that show job data.</summary>
public static class JobsDashboardEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Lets a request through only when it may read the dashboard (viewer or admin, by the <see cref="JobsDashboardOptions"/>
    /// registered with <c>AddJobsDashboard</c>: local requests only by default). Others get the dashboard API's JSON 401 or 403.
    /// </summary>
    public static TBuilder RequireJobsDashboardViewer<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RefuseUnlessDashboardViewerAsync(json: true) ? EmptyHttpResult.Instance : await next(context));
        return builder;
    }
}
