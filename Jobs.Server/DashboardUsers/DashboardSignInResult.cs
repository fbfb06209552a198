namespace Jobs.Server.DashboardUsers;

/// <summary>The answer to a name and password: the user, or why not. Unknown name and wrong password are one answer.</summary>
internal sealed record DashboardSignInResult(DashboardSignInOutcome Outcome, DashboardUser? User = null, TimeSpan RetryAfter = default)
{
    public static DashboardSignInResult Invalid { get; } = new(DashboardSignInOutcome.Invalid);
}
