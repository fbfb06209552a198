namespace Jobs.Server.DashboardUsers;

/// <summary>Where the dashboard, and with it the sign-in pages, is mounted; set once by <c>UseDashboardUsers</c> before the first request.</summary>
internal sealed class DashboardUsersMount
{
    public PathString Prefix { get; private set; } = "/jobs";

    public PathString LoginPath => Prefix.Add("/login");

    public PathString LogoutPath => Prefix.Add("/logout");

    public void MountAt(string prefix) => Prefix = new PathString(prefix.TrimEnd('/'));

    /// <summary>
    /// The JSON API and the host's <c>/status</c>, where HTTP Basic is accepted and a refusal is a 401 with a challenge rather
    /// than a redirect (the sign-in cookie is scoped to the dashboard's path, so scripts authenticate with Basic).
    /// </summary>
    public bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments(Prefix.Add("/api")) || request.Path.Equals(JobsStatusEndpoints.Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="returnUrl"/> when it is an address on this site ("/…" but not "//…" or "/\…"), else the
    /// dashboard's overview: a sign-in link can never send the browser to another host.
    /// </summary>
    public string LocalReturnUrl(HttpRequest request, string? returnUrl)
    {
        var isLocal = !string.IsNullOrEmpty(returnUrl)
            && returnUrl[0] == '/'
            && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            && !returnUrl.Contains('\\', StringComparison.Ordinal)
            && !returnUrl.Any(char.IsControl);
        return isLocal ? returnUrl! : request.PathBase.Add(Prefix).Add("/").Value!;
    }
}
