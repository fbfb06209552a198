namespace Jobs.Server.DashboardUsers;

/// <summary>
/// Users who sign in to the dashboard of Jobs.Server, and how sign-in behaves; bound from <c>Jobs:Dashboard</c>.
/// With no user configured nothing changes: the dashboard's own access rules apply (local requests only by default).
/// </summary>
public sealed class DashboardUsersOptions
{
    /// <summary>The configuration section the options are bound from (the dashboard's own section).</summary>
    public const string SectionName = "Jobs:Dashboard";

    /// <summary>The users; validated at start. Default: none.</summary>
    public IList<DashboardUser> Users { get; } = [];

    /// <summary>How long a sign-in lasts without a request; every request within it renews it. Default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins in a row (through the form or HTTP Basic) after which a name is locked out. Default 5.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked-out name is refused, even with the right password. Default 5 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);
}
