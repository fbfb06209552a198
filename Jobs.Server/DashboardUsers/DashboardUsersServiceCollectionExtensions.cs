using Jobs.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary><c>services.AddDashboardUsers(configuration)</c>: sign-in for the users of <c>Jobs:Dashboard:Users</c>.</summary>
public static class DashboardUsersServiceCollectionExtensions
{
    private const string CookieName = "jobs_auth";

    /// <summary>
    /// Binds and validates <see cref="DashboardUsersOptions"/> (a bad user entry stops the start with a message naming it).
    /// When users are configured: the dashboard requires them (viewer reads, admin also acts; local requests get no
    /// free pass), the pages sign in with a cookie, and the JSON API also takes HTTP Basic. Without users: nothing else.
    /// </summary>
    public static IServiceCollection AddDashboardUsers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(DashboardUsersOptions.SectionName);
        services.AddOptions<DashboardUsersOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardUsersOptions>, DashboardUsersOptionsValidator>();
        if (!section.GetSection(nameof(DashboardUsersOptions.Users)).GetChildren().Any())
        {
            return services;
        }

        services.AddSingleton<DashboardUsersMount>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<DashboardUserStore>();
        services.PostConfigure<JobsDashboardOptions>(o =>
        {
            o.ViewerRoles.Add(DashboardUserRoles.ViewerClaim);
            o.AdminRoles.Add(DashboardUserRoles.AdminClaim);
            o.SignOutPath ??= "/logout";
        });

        services.AddAuthentication(DashboardUsersSchemes.Default)
            .AddPolicyScheme(DashboardUsersSchemes.Default, "Jobs dashboard users", o => o.ForwardDefaultSelector = DashboardUsersSchemes.Select)
            .AddCookie(DashboardUsersSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, DashboardBasicAuthenticationHandler>(DashboardUsersSchemes.Basic, null);
        services.AddOptions<CookieAuthenticationOptions>(DashboardUsersSchemes.Cookie)
            .Configure<DashboardUsersMount, IOptions<DashboardUsersOptions>>((cookie, mount, users) => ConfigureCookie(cookie, mount, users.Value));
        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options, DashboardUsersMount mount, DashboardUsersOptions users)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.Path = mount.Prefix.Value;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax; // Strict would drop the cookie when an alert e-mail's link is followed
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = users.SessionLifetime;
        options.SlidingExpiration = true;
        options.LoginPath = mount.LoginPath;
        options.LogoutPath = mount.LogoutPath;
        options.ReturnUrlParameter = "ReturnUrl";
        options.Events.OnRedirectToLogin = context =>
        {
            if (mount.IsApi(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = DashboardUsersSchemes.BasicChallenge;
            }
            else
            {
                context.Response.Redirect(context.RedirectUri);
            }

            return Task.CompletedTask;
        };
        options.Events.OnRedirectToAccessDenied = context =>
            mount.IsApi(context.Request)
                ? WriteStatus(context.Response, StatusCodes.Status403Forbidden)
                : DashboardSignInPage.WriteAccessDeniedAsync(context.HttpContext);
    }

    private static Task WriteStatus(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
