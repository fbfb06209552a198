using System.Text;
using Jobs.Storage;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Html;

/// <summary>The frame every page shares: head, navigation with counts, flash message, theme toggle.</summary>
internal static class DashboardLayout
{
    public static async Task WriteAsync(DashboardContext context, string title, HtmlWriter body, JobStatistics? statistics = null, int statusCode = StatusCodes.Status200OK)
    {
        var flash = FlashMessage.Take(context);
        var html = new HtmlWriter();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · {context.Options.Title}</title>
            <link rel="stylesheet" href="{context.Url("/assets/dashboard.css")}?v={DashboardAssets.Version}">
            <script src="{context.Url("/assets/dashboard.js")}?v={DashboardAssets.Version}" defer></script>
            </head>
            <body data-stats-url="{context.Url("/api/stats")}" data-poll-ms="{context.Options.StatsPollingIntervalMs}">
            <header class="top"><a class="brand" href="{context.Url("/")}">{context.Options.Title}</a>
            <form class="search" method="get" action="{context.Url("/search")}"><input type="search" name="q" placeholder="Search jobs" aria-label="Search jobs"></form>
            <button type="button" class="theme-toggle" data-theme-toggle title="Light or dark theme" aria-label="Light or dark theme">◐</button>
            """);
        SignedIn(html, context);
        html.Append($"""
            </header>
            <div class="layout"><nav class="side">
            """);
        NavLink(html, context, "/", "Overview", null);
        NavLink(html, context, "/enqueued", "Enqueued", statistics?.Enqueued);
        NavLink(html, context, "/scheduled", "Scheduled", statistics?.Scheduled);
        NavLink(html, context, "/awaiting", "Awaiting", statistics?.Awaiting);
        NavLink(html, context, "/processing", "Processing", statistics?.Processing);
        NavLink(html, context, "/succeeded", "Succeeded", statistics?.Succeeded);
        NavLink(html, context, "/failed", "Failed", statistics?.Failed);
        NavLink(html, context, "/deleted", "Deleted", statistics?.Deleted);
        NavLink(html, context, "/retries", "Retries", statistics?.Retries);
        NavLink(html, context, "/recurring", "Recurring", statistics?.RecurringJobs);
        NavLink(html, context, "/queues", "Queues", statistics?.Queues);
        NavLink(html, context, "/servers", "Servers", statistics?.Servers);
        html.Append($"</nav><main>");
        if (flash is not null)
        {
            html.Append($"<p class=\"flash {(flash.IsError ? "flash-error" : "flash-info")}\" role=\"status\">{flash.Text}</p>");
        }

        if (context.Access == DashboardAccess.Viewer)
        {
            html.Append($"<p class=\"readonly-note\">Read-only: actions are not available to you.</p>");
        }

        html.Raw(new RawHtml(body.ToString()));
        html.Append($"</main></div></body></html>");

        var response = context.Http.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'self'";
        await response.WriteAsync(html.ToString(), Encoding.UTF8, context.Aborted);
    }

    private static void SignedIn(HtmlWriter html, DashboardContext context)
    {
        if (context.Http.User.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return;
        }

        html.Append($"<span class=\"signed-in\">{name}</span>");
        if (!string.IsNullOrEmpty(context.Options.SignOutPath))
        {
            html.Append($"<form class=\"inline\" method=\"post\" action=\"{context.Url(context.Options.SignOutPath)}\"><input type=\"hidden\" name=\"{context.AntiforgeryFieldName}\" value=\"{context.AntiforgeryToken}\"><button type=\"submit\">Sign out</button></form>");
        }
    }

    private static void NavLink(HtmlWriter html, DashboardContext context, string path, string label, long? count)
    {
        var current = context.Http.Request.Path.Value?.EndsWith(path == "/" ? context.Mount.Prefix.Value ?? "/" : path, StringComparison.Ordinal) == true
            || (path == "/" && context.Http.Request.Path.Value == context.Mount.Prefix.Value + "/");
        html.Append($"<a href=\"{context.Url(path)}\"{(current ? new RawHtml(" aria-current=\"page\"") : RawHtml.Empty)}>{label}");
        if (count is not null)
        {
            html.Append($" <span class=\"count\">{count.Value:N0}</span>");
        }

        html.Append($"</a>");
    }

    /// <summary>A page that only says something: a bad request, a missing job, a refusal.</summary>
    public static Task WriteMessageAsync(DashboardContext context, int statusCode, string title, string message)
    {
        var body = new HtmlWriter();
        body.Append($"<h1>{title}</h1><p class=\"message\">{message}</p><p><a href=\"{context.Url("/")}\">Back to the overview</a></p>");
        return WriteAsync(context, title, body, null, statusCode);
    }
}
