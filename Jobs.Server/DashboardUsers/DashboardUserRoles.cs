namespace Jobs.Server.DashboardUsers;

/// <summary>The roles a configured user may have, and the role claims that give the dashboard's viewer and admin access.</summary>
internal static class DashboardUserRoles
{
    public const string Viewer = "viewer";
    public const string Admin = "admin";

    /// <summary>Role claims of their own, so they never mix with roles a host grants through other sign-ins.</summary>
    public const string ViewerClaim = "Jobs.Dashboard.Viewer";
    public const string AdminClaim = "Jobs.Dashboard.Admin";

    public static string? ToClaim(string? role) =>
        string.Equals(role?.Trim(), Admin, StringComparison.OrdinalIgnoreCase) ? AdminClaim
        : string.Equals(role?.Trim(), Viewer, StringComparison.OrdinalIgnoreCase) ? ViewerClaim
        : null;
}
