namespace Jobs.Dashboard;

/// <summary>
/// Who may see the dashboard and who may act on it; bound from the <c>Jobs:Dashboard</c> configuration section.
/// With no policy and no role configured, only local requests are let in (as Hangfire does): a dashboard is never open by default.
/// </summary>
public sealed class JobsDashboardOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Jobs:Dashboard";

    /// <summary>Authorization policy a user must satisfy to read the dashboard. Default: none.</summary>
    public string? ViewerPolicy { get; set; }

    /// <summary>Authorization policy a user must satisfy to act (retry, delete, trigger, pause, edit). Admins may also read. Default: none.</summary>
    public string? AdminPolicy { get; set; }

    /// <summary>Roles (any of them) that may read the dashboard. Default: none.</summary>
    public IList<string> ViewerRoles { get; } = [];

    /// <summary>Roles (any of them) that may act on the dashboard. Default: none.</summary>
    public IList<string> AdminRoles { get; } = [];

    /// <summary>
    /// Only requests from the local machine get in. Default (null): true when no policy or role is configured,
    /// false otherwise. Set it to true to require both a local request and the policies.
    /// </summary>
    public bool? AllowLocalRequestsOnly { get; set; }

    /// <summary>No actions at all, for anyone: the action buttons are hidden and action requests are refused. Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Rows per page when <c>?size=</c> is not given. Default 20, as Hangfire.</summary>
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>
    /// How far a filtered Failed list counts its matches: beyond this many it says "more than N" (the page, its pager and
    /// the JSON API's <c>totalIsLowerBound</c>), so that a filter matching most of a large table still answers quickly.
    /// "Retry all" and "Delete all" act on every match whatever the count. Default 10,000.
    /// </summary>
    public int FailedCountLimit { get; set; } = 10_000;

    /// <summary>How often the overview's live graph polls, in milliseconds. Default 2000, as Hangfire.</summary>
    public int StatsPollingIntervalMs { get; set; } = 2000;

    /// <summary>Page title and header text. Default "Jobs".</summary>
    public string Title { get; set; } = "Jobs";

    /// <summary>
    /// An address under the dashboard (such as <c>/logout</c>) that signs the user out when a form is posted to it with
    /// an antiforgery token. When set, the header shows who is signed in and a Sign out button. Default: none.
    /// </summary>
    public string? SignOutPath { get; set; }

    internal bool HasIdentityRules =>
        !string.IsNullOrWhiteSpace(ViewerPolicy) || !string.IsNullOrWhiteSpace(AdminPolicy) || ViewerRoles.Count > 0 || AdminRoles.Count > 0;

    internal bool LocalOnly => AllowLocalRequestsOnly ?? !HasIdentityRules;

    /// <summary>Throws <see cref="ArgumentException"/> for values that cannot work.</summary>
    public void Validate()
    {
        if (DefaultPageSize is < 1 or > PageRequest.MaxPageSize)
        {
            throw new ArgumentException($"Jobs:Dashboard:DefaultPageSize must be between 1 and {PageRequest.MaxPageSize}; it is {DefaultPageSize}.");
        }

        if (FailedCountLimit < 1)
        {
            throw new ArgumentException($"Jobs:Dashboard:FailedCountLimit must be at least 1; it is {FailedCountLimit}.");
        }

        if (StatsPollingIntervalMs < 250)
        {
            throw new ArgumentException($"Jobs:Dashboard:StatsPollingIntervalMs must be at least 250; it is {StatsPollingIntervalMs}.");
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            throw new ArgumentException("Jobs:Dashboard:Title must not be empty.");
        }

        if (SignOutPath is not null && !SignOutPath.StartsWith('/'))
        {
            throw new ArgumentException($"Jobs:Dashboard:SignOutPath must start with '/' (it is an address under the dashboard); it is '{SignOutPath}'.");
        }
    }
}
