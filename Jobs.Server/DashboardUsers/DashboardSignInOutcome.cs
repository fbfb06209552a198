namespace Jobs.Server.DashboardUsers;

internal enum DashboardSignInOutcome
{
    SignedIn,

    /// <summary>Unknown name or wrong password: callers must not tell the two apart.</summary>
    Invalid,

    /// <summary>Too many failures in a row for this name; not even checked.</summary>
    LockedOut,
}
