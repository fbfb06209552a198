using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary>
/// HTTP Basic with the configured users, for scripts calling the dashboard's JSON API (never for its pages). Wrong
/// credentials count towards the same lockout as the sign-in form.
/// </summary>
internal sealed class DashboardBasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DashboardUserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static bool HasBasicCredentials(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string credentials;
        try
        {
            credentials = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header.Parameter ?? string.Empty));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header is not Base64 of UTF-8 'name:password'."));
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header has no ':' between name and password."));
        }

        var result = users.Verify(credentials[..colon], credentials[(colon + 1)..], Context.Connection.RemoteIpAddress?.ToString(), "HTTP Basic");
        if (result.Outcome != DashboardSignInOutcome.SignedIn)
        {
            return Task.FromResult(AuthenticateResult.Fail(result.Outcome == DashboardSignInOutcome.LockedOut ? "Locked out." : "Wrong name or password."));
        }

        DashboardUsersLog.BasicAuthenticated(Logger, result.User!.Name, Context.Connection.RemoteIpAddress?.ToString());
        var principal = DashboardUserStore.CreatePrincipal(result.User, Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = DashboardUsersSchemes.BasicChallenge;
        return Task.CompletedTask;
    }
}
