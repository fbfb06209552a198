using Jobs.Server.DashboardUsers;

namespace Jobs.Tests.DashboardUsers;

[TestFixture]
public sealed class DashboardUsersOptionsTests
{
    [Test]
    public void Defaults_AreNoUsersEightHourSessionsAndFiveFailuresForFiveMinutes()
    {
        var options = new DashboardUsersOptions();

        Assert.That(options.Users, Is.Empty);
        Assert.That(options.SessionLifetime, Is.EqualTo(TimeSpan.FromHours(8)));
        Assert.That(options.MaxFailedLogins, Is.EqualTo(5));
        Assert.That(options.LockoutDuration, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Validate_NamesEveryBadEntryAndSetting()
    {
        var options = new DashboardUsersOptions { MaxFailedLogins = 0, SessionLifetime = TimeSpan.Zero };
        options.Users.Add(new DashboardUser { Name = string.Empty, PasswordHash = string.Empty, Role = string.Empty });
        options.Users.Add(new DashboardUser { Name = "a:b", PasswordHash = "x", Role = "viewer" });

        var result = new DashboardUsersOptionsValidator().Validate(null, options);

        Assert.That(result.Failures, Is.EquivalentTo(new[]
        {
            "Jobs:Dashboard:Users:0: Name is empty.",
            "Jobs:Dashboard:Users:0: PasswordHash is empty. Create one with `dotnet run --project Jobs.Server -- hash-password`.",
            "Jobs:Dashboard:Users:0: Role is empty; use 'viewer' or 'admin'.",
            "Jobs:Dashboard:Users:1 (\"a:b\"): Name must be at most 100 characters, without ':' (HTTP Basic separates name and password with it), control characters, or spaces at either end.",
            "Jobs:Dashboard:Users:1 (\"a:b\"): PasswordHash is not an ASP.NET Core Identity v3 password hash (it is not Base64). Create one with `dotnet run --project Jobs.Server -- hash-password`.",
            "Jobs:Dashboard:SessionLifetime must be positive; it is 00:00:00.",
            "Jobs:Dashboard:MaxFailedLogins must be at least 1; it is 0.",
        }));
    }
}
