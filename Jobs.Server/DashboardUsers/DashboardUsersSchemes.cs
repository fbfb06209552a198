namespace Jobs.Server.DashboardUsers;

/// <summary>The authentication schemes of the dashboard users.</summary>
internal static class DashboardUsersSchemes
{
    /// <summary>The default: HTTP Basic for API requests that carry it, the sign-in cookie for everything else.</summary>
    public const string Default = "Jobs.Dashboard";

    public const string Cookie = "Jobs.Dashboard.Cookie";

    public const string Basic = "Jobs.Dashboard.Basic";

    /// <summary>What a 401 of the API answers with, so scripts and tools know to send HTTP Basic.</summary>
    public const string BasicChallenge = "Basic realm=\"Jobs dashboard\", charset=\"UTF-8\"";

    public static string Select(HttpContext context)
    {
        var mount = context.RequestServices.GetRequiredService<DashboardUsersMount>();
        return mount.IsApi(context.Request) && DashboardBasicAuthenticationHandler.HasBasicCredentials(context.Request) ? Basic : Cookie;
    }
}
