using System.Globalization;
using System.Net;
using System.Text;
using Jobs.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary>The sign-in form and the access-denied page: the dashboard's header and stylesheet, no navigation.</summary>
internal static class DashboardSignInPage
{
    /// <summary>Changes with every build of Jobs.Dashboard, so browsers fetch its (immutably cached) stylesheet again.</summary>
    private static readonly string AssetVersion =
        typeof(JobsDashboardOptions).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    public static Task WriteFormAsync(HttpContext http, int statusCode, string returnUrl, string name, string? message, bool isError)
    {
        var mount = http.RequestServices.GetRequiredService<DashboardUsersMount>();
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var body = new StringBuilder("<h1>Sign in</h1>");
        if (message is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"flash {(isError ? "flash-error" : "flash-info")}\" role=\"{(isError ? "alert" : "status")}\">{Encode(message)}</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="{Encode(Url(http, mount.LoginPath))}">
            <input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken)}">
            <input type="hidden" name="ReturnUrl" value="{Encode(returnUrl)}">
            <label for="name">Name</label>
            <input type="text" id="name" name="name" value="{Encode(name)}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit" class="primary">Sign in</button>
            </form>
            """);
        return WriteAsync(http, statusCode, "Sign in", body.ToString());
    }

    public static Task WriteAccessDeniedAsync(HttpContext http)
    {
        var mount = http.RequestServices.GetRequiredService<DashboardUsersMount>();
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var user = http.User.Identity?.Name ?? "this user";
        var body = $"""
            <h1>Access denied</h1>
            <p class="message">You are signed in as {Encode(user)}, who may read the dashboard but not act on it: nothing was changed.</p>
            <p><a href="{Encode(Url(http, mount.Prefix.Add("/")))}">Back to the overview</a></p>
            <form method="post" action="{Encode(Url(http, mount.LogoutPath))}"><input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken)}"><button type="submit">Sign in as someone else</button></form>
            """;
        return WriteAsync(http, StatusCodes.Status403Forbidden, "Access denied", body);
    }

    private static async Task WriteAsync(HttpContext http, int statusCode, string title, string body)
    {
        var mount = http.RequestServices.GetRequiredService<DashboardUsersMount>();
        var siteTitle = http.RequestServices.GetRequiredService<IOptions<JobsDashboardOptions>>().Value.Title;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} · {Encode(siteTitle)}</title>
            <link rel="stylesheet" href="{Encode(Url(http, mount.Prefix.Add("/assets/dashboard.css")))}?v={AssetVersion}">
            <script src="{Encode(Url(http, mount.Prefix.Add("/assets/dashboard.js")))}?v={AssetVersion}" defer></script>
            </head>
            <body>
            <header class="top"><a class="brand" href="{Encode(Url(http, mount.Prefix.Add("/")))}">{Encode(siteTitle)}</a><span class="search"></span>
            <button type="button" class="theme-toggle" data-theme-toggle title="Light or dark theme" aria-label="Light or dark theme">◐</button>
            </header>
            <main class="sign-in">{body}</main>
            </body></html>
            """;
        var response = http.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";
        await response.WriteAsync(html, Encoding.UTF8, http.RequestAborted);
    }

    private static string Url(HttpContext http, PathString path) => http.Request.PathBase.Add(path).Value!;

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
