using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dashboard;

/// <summary>
/// Decides what a request may do. Reads need viewer, actions need admin. Local-only (the default without
/// policies) lets in requests whose remote address is loopback or the server's own; a request with no remote
/// address (an in-process test server) is not local.
/// </summary>
internal static class DashboardAuthorizer
{
    public static async Task<DashboardAccess> GetAccessAsync(HttpContext context, JobsDashboardOptions options)
    {
        if (options.LocalOnly && !IsLocal(context.Connection))
        {
            return DashboardAccess.Forbidden;
        }

        var admin = DashboardAccess.Admin;
        if (!options.HasIdentityRules)
        {
            return options.ReadOnly ? DashboardAccess.Viewer : admin;
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return DashboardAccess.Unauthenticated;
        }

        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        if (await SatisfiesAsync(authorization, context, options.AdminPolicy, options.AdminRoles))
        {
            return options.ReadOnly ? DashboardAccess.Viewer : admin;
        }

        return await SatisfiesAsync(authorization, context, options.ViewerPolicy, options.ViewerRoles)
            ? DashboardAccess.Viewer
            : DashboardAccess.Forbidden;
    }

    private static async Task<bool> SatisfiesAsync(IAuthorizationService authorization, HttpContext context, string? policy, IList<string> roles)
    {
        if (roles.Any(context.User.IsInRole))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(policy))
        {
            return false;
        }

        var result = await authorization.AuthorizeAsync(context.User, context, policy);
        return result.Succeeded;
    }

    public static bool IsLocal(ConnectionInfo connection)
    {
        var remote = connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (IPAddress.IsLoopback(remote))
        {
            return true;
        }

        return connection.LocalIpAddress is not null && remote.Equals(connection.LocalIpAddress);
    }
}
