using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary><c>app.UseDashboardUsers("/jobs")</c>: authentication, and the sign-in and sign-out endpoints under the dashboard.</summary>
public static class DashboardUsersEndpoints
{
    private const string SignedOutQuery = "signedOut";

    /// <summary>
    /// When <c>Jobs:Dashboard:Users</c> names users (see <c>AddDashboardUsers</c>): authenticates requests, maps
    /// <c>{prefix}/login</c> (GET the form, POST it) and <c>{prefix}/logout</c> (POST), and gives the API's 401s an
    /// HTTP Basic challenge. Call it before <c>MapJobsDashboard</c> with the same prefix. Without users it does nothing.
    /// </summary>
    public static WebApplication UseDashboardUsers(this WebApplication app, string prefix = "/jobs")
    {
        ArgumentNullException.ThrowIfNull(app);
        var mount = app.Services.GetService<DashboardUsersMount>();
        if (mount is null)
        {
            return app;
        }

        mount.MountAt(prefix);
        var users = app.Services.GetRequiredService<IOptions<DashboardUsersOptions>>().Value.Users;
        DashboardUsersLog.Enabled(app.Logger, users.Count, users.Count(u => DashboardUserRoles.ToClaim(u.Role) == DashboardUserRoles.AdminClaim));

        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((http, next) =>
        {
            // The dashboard answers an API request without valid credentials with a JSON 401; say how to authenticate.
            if (mount.IsApi(http.Request))
            {
                http.Response.OnStarting(() =>
                {
                    if (http.Response.StatusCode == StatusCodes.Status401Unauthorized && !http.Response.Headers.ContainsKey("WWW-Authenticate"))
                    {
                        http.Response.Headers.WWWAuthenticate = DashboardUsersSchemes.BasicChallenge;
                    }

                    return Task.CompletedTask;
                });
            }

            return next(http);
        });

        var group = app.MapGroup(mount.Prefix.Value!);
        group.MapGet("/login", ShowFormAsync);
        group.MapPost("/login", SignInAsync);
        group.MapPost("/logout", SignOutAsync);
        return app;
    }

    private static Task ShowFormAsync(HttpContext http)
    {
        var mount = http.RequestServices.GetRequiredService<DashboardUsersMount>();
        var returnUrl = mount.LocalReturnUrl(http.Request, http.Request.Query["ReturnUrl"]);
        var signedOut = http.Request.Query.ContainsKey(SignedOutQuery);
        return DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status200OK, returnUrl, string.Empty, signedOut ? "You are signed out." : null, isError: false);
    }

    private static async Task SignInAsync(HttpContext http)
    {
        var mount = http.RequestServices.GetRequiredService<DashboardUsersMount>();
        if (!http.Request.HasFormContentType)
        {
            await DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status400BadRequest, mount.LocalReturnUrl(http.Request, null), string.Empty, "Sign in with the form.", isError: true);
            return;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = mount.LocalReturnUrl(http.Request, form["ReturnUrl"]);
        var name = form["name"].ToString().Trim();
        if (!await IsAntiforgeryValidAsync(http))
        {
            await DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status400BadRequest, returnUrl, name, "The form had expired. Please sign in again.", isError: true);
            return;
        }

        var password = form["password"].ToString();
        if (name.Length == 0 || password.Length == 0)
        {
            await DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status400BadRequest, returnUrl, name, "Enter your name and your password.", isError: true);
            return;
        }

        var result = http.RequestServices.GetRequiredService<DashboardUserStore>().Verify(name, password, http.Connection.RemoteIpAddress?.ToString(), "sign-in form");
        switch (result.Outcome)
        {
            case DashboardSignInOutcome.LockedOut:
                var minutes = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalMinutes));
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status429TooManyRequests, returnUrl, name,
                    $"Too many failed sign-ins with this name. Try again in {minutes} minute{(minutes == 1 ? string.Empty : "s")}.", isError: true);
                return;
            case DashboardSignInOutcome.Invalid:
                await DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status200OK, returnUrl, name, "Wrong name or password.", isError: true);
                return;
        }

        DashboardUsersLog.SignedIn(Logger(http), result.User!.Name, http.Connection.RemoteIpAddress?.ToString());
        var principal = DashboardUserStore.CreatePrincipal(result.User, DashboardUsersSchemes.Cookie);
        await http.SignInAsync(DashboardUsersSchemes.Cookie, principal, new AuthenticationProperties { RedirectUri = returnUrl });
        SeeOther(http, returnUrl);
    }

    private static async Task SignOutAsync(HttpContext http)
    {
        var mount = http.RequestServices.GetRequiredService<DashboardUsersMount>();
        var login = http.Request.PathBase.Add(mount.LoginPath).Value + "?" + SignedOutQuery;
        if (!await IsAntiforgeryValidAsync(http))
        {
            await DashboardSignInPage.WriteFormAsync(http, StatusCodes.Status400BadRequest, mount.LocalReturnUrl(http.Request, null), string.Empty,
                "The sign-out form had expired, so you are still signed in. Reload the dashboard and sign out again.", isError: true);
            return;
        }

        var user = http.User.Identity?.Name;
        await http.SignOutAsync(DashboardUsersSchemes.Cookie, new AuthenticationProperties { RedirectUri = login });
        if (user is not null)
        {
            DashboardUsersLog.SignedOut(Logger(http), user);
        }

        SeeOther(http, login);
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardUsersEndpoints));

    /// <summary>303, so the browser follows a POST with a GET (the cookie handler would answer 302).</summary>
    private static void SeeOther(HttpContext http, string location)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = location;
    }

    private static async Task<bool> IsAntiforgeryValidAsync(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
