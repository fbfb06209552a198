using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary>
/// Checks a name and password against <c>Jobs:Dashboard:Users</c> through <see cref="PasswordHasher{TUser}"/> (fixed-time
/// comparison). An unknown name is checked against a hash of a random password made with the same settings, so it
/// costs as much as a known one and the answer's timing does not tell which names exist.
/// </summary>
internal sealed class DashboardUserStore
{
    private const int MaxInputLength = 1024;

    private readonly Dictionary<string, DashboardUser> _users;
    private readonly PasswordHasher<string> _hasher = new();
    private readonly string _unknownUserHash;
    private readonly LoginThrottle _throttle;
    private readonly ILogger<DashboardUserStore> _logger;

    public DashboardUserStore(IOptions<DashboardUsersOptions> options, LoginThrottle throttle, ILogger<DashboardUserStore> logger)
    {
        _users = options.Value.Users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
        _unknownUserHash = _hasher.HashPassword(string.Empty, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _throttle = throttle;
        _logger = logger;
    }

    public DashboardSignInResult Verify(string name, string password, string? remoteAddress, string via)
    {
        if (name.Length == 0 || name.Length > MaxInputLength || password.Length > MaxInputLength)
        {
            DashboardUsersLog.SignInFailed(_logger, Shorten(name), remoteAddress, via);
            return DashboardSignInResult.Invalid;
        }

        if (_throttle.IsLockedOut(name, out var remaining))
        {
            DashboardUsersLog.SignInLockedOut(_logger, name, remoteAddress, via, remaining);
            return new DashboardSignInResult(DashboardSignInOutcome.LockedOut, RetryAfter: remaining);
        }

        var known = _users.TryGetValue(name, out var user);
        var verdict = _hasher.VerifyHashedPassword(name, known ? user!.PasswordHash : _unknownUserHash, password);
        if (known && verdict != PasswordVerificationResult.Failed)
        {
            _throttle.RecordSuccess(name);
            return new DashboardSignInResult(DashboardSignInOutcome.SignedIn, user);
        }

        DashboardUsersLog.SignInFailed(_logger, name, remoteAddress, via);
        if (_throttle.RecordFailure(name))
        {
            DashboardUsersLog.LockedOut(_logger, name, remoteAddress);
        }

        return DashboardSignInResult.Invalid;
    }

    /// <summary>The signed-in identity: the configured name and the role claim the dashboard is set to accept.</summary>
    public static ClaimsPrincipal CreatePrincipal(DashboardUser user, string authenticationType)
    {
        Claim[] claims = [new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, DashboardUserRoles.ToClaim(user.Role)!)];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static string Shorten(string name) => name.Length > 100 ? name[..100] + "…" : name;
}
