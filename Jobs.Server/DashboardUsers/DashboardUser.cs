namespace Jobs.Server.DashboardUsers;

/// <summary>One entry of <c>Jobs:Dashboard:Users</c>: a person (or script) who may sign in to the dashboard.</summary>
public sealed class DashboardUser
{
    /// <summary>The sign-in name; unique, compared ignoring case.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>An ASP.NET Core Identity v3 password hash, as <c>dotnet run --project Jobs.Server -- hash-password</c> prints it.</summary>
    public string PasswordHash { get; set; } = string.Empty;

    /// <summary><c>viewer</c> (reads the dashboard) or <c>admin</c> (also retries, deletes, triggers, pauses, edits).</summary>
    public string Role { get; set; } = string.Empty;
}
