namespace Jobs.Dashboard;

/// <summary>What the current request may do on the dashboard.</summary>
internal enum DashboardAccess
{
    /// <summary>Not signed in while identity is required: 401.</summary>
    Unauthenticated,

    /// <summary>Signed in (or anonymous) but not allowed: 403.</summary>
    Forbidden,

    Viewer,

    Admin,
}
