using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary>Refuses, at start, a user list that would lock someone out or let the wrong person in, naming each bad entry.</summary>
internal sealed class DashboardUsersOptionsValidator : IValidateOptions<DashboardUsersOptions>
{
    private const string HashHelp = "Create one with `dotnet run --project Jobs.Server -- hash-password`.";
    private const int MaxNameLength = 100;

    public ValidateOptionsResult Validate(string? name, DashboardUsersOptions options)
    {
        var failures = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var entry = string.IsNullOrWhiteSpace(user.Name)
                ? $"{DashboardUsersOptions.SectionName}:Users:{i}"
                : $"{DashboardUsersOptions.SectionName}:Users:{i} (\"{user.Name}\")";
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                failures.Add($"{entry}: Name is empty.");
            }
            else if (user.Name.Length > MaxNameLength || user.Name != user.Name.Trim() || user.Name.Contains(':', StringComparison.Ordinal) || user.Name.Any(char.IsControl))
            {
                failures.Add($"{entry}: Name must be at most {MaxNameLength} characters, without ':' (HTTP Basic separates name and password with it), control characters, or spaces at either end.");
            }
            else if (seen.TryGetValue(user.Name, out var first))
            {
                failures.Add($"{entry}: the name is already used by {DashboardUsersOptions.SectionName}:Users:{first}; names must be unique (compared ignoring case).");
            }
            else
            {
                seen.Add(user.Name, i);
            }

            if (string.IsNullOrWhiteSpace(user.PasswordHash))
            {
                failures.Add($"{entry}: PasswordHash is empty. {HashHelp}");
            }
            else if (!PasswordHashFormat.IsValidV3(user.PasswordHash, out var problem))
            {
                failures.Add($"{entry}: PasswordHash is not an ASP.NET Core Identity v3 password hash ({problem}). {HashHelp}");
            }

            if (DashboardUserRoles.ToClaim(user.Role) is null)
            {
                failures.Add(string.IsNullOrWhiteSpace(user.Role)
                    ? $"{entry}: Role is empty; use '{DashboardUserRoles.Viewer}' or '{DashboardUserRoles.Admin}'."
                    : $"{entry}: Role '{user.Role}' is not known; use '{DashboardUserRoles.Viewer}' or '{DashboardUserRoles.Admin}'.");
            }
        }

        if (options.SessionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{DashboardUsersOptions.SectionName}:SessionLifetime must be positive; it is {options.SessionLifetime}.");
        }

        if (options.MaxFailedLogins < 1)
        {
            failures.Add($"{DashboardUsersOptions.SectionName}:MaxFailedLogins must be at least 1; it is {options.MaxFailedLogins}.");
        }

        if (options.LockoutDuration <= TimeSpan.Zero)
        {
            failures.Add($"{DashboardUsersOptions.SectionName}:LockoutDuration must be positive; it is {options.LockoutDuration}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
