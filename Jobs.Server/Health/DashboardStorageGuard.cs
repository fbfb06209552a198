using System.Net;
using System.Text;
using System.Text.Json;
using Jobs.Dashboard;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Health;

/// <summary>
/// <c>app.UseDashboardStorageGuard("/jobs")</c>: while the job storage is unreachable the dashboard answers at once with
/// 503 and a page (or, under <c>/api</c>, JSON) saying so, instead of waiting out the storage's retries and failing with
/// an error page. A storage failure that meets a request while the storage was thought reachable gets the same answer.
/// Assets and the sign-in pages do not need the storage and are left alone. The answer names the storage's problem (the
/// database's host and port, say), so only a request that may read the dashboard gets it: any other gets the refusal the
/// dashboard itself would give (<see cref="JobsDashboardHttpContextExtensions.RefuseUnlessDashboardViewerAsync"/>), and
/// does not make the server look at the storage either.
/// </summary>
internal static class DashboardStorageGuard
{
    /// <summary>While the storage is known unreachable, how long one look at it answers for every dashboard request.</summary>
    private static readonly TimeSpan ProbeReuse = TimeSpan.FromSeconds(1);

    private static readonly string AssetVersion =
        typeof(JobsDashboardOptions).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    public static WebApplication UseDashboardStorageGuard(this WebApplication app, string prefix = "/jobs")
    {
        ArgumentNullException.ThrowIfNull(app);
        var mount = new PathString(prefix.TrimEnd('/'));
        var probe = app.Services.GetRequiredService<JobStorageProbe>();
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(mount, out var rest)
                || rest.StartsWithSegments("/assets") || rest.StartsWithSegments("/login") || rest.StartsWithSegments("/logout"))
            {
                await next(http);
                return;
            }

            var json = rest.StartsWithSegments("/api");
            var last = probe.Last;
            if (last is not { IsReachable: true })
            {
                if (await http.RefuseUnlessDashboardViewerAsync(json))
                {
                    return;
                }

                // Unknown (the first request) or down: look now rather than let the request wait out the storage's retries.
                last = await probe.GetAsync(ProbeReuse, http.RequestAborted);
                if (!last.IsReachable)
                {
                    await WriteUnavailableAsync(http, mount, json, last.Description);
                    return;
                }
            }

            try
            {
                await next(http);
            }
            catch (Exception ex) when (JobStorageProbe.IsOutage(ex) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                var outcome = probe.ReportOutage(ex);
                http.Response.Clear();

                // The dashboard checks access before it reads the storage; checking again keeps the storage's details from
                // anyone else whatever the endpoint did before it failed.
                if (!await http.RefuseUnlessDashboardViewerAsync(json))
                {
                    await WriteUnavailableAsync(http, mount, json, outcome.Description);
                }
            }
        });
        return app;
    }

    private static async Task WriteUnavailableAsync(HttpContext http, PathString mount, bool json, string reason)
    {
        var message = $"The job storage is unreachable: {reason} Jobs are neither lost nor run until it is back; this page works again by itself then.";
        var response = http.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.CacheControl = "no-store";
        response.Headers.RetryAfter = "5";
        response.Headers.XContentTypeOptions = "nosniff";
        if (json)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }), Encoding.UTF8, http.RequestAborted);
            return;
        }

        var title = http.RequestServices.GetService<IOptions<JobsDashboardOptions>>()?.Value.Title ?? "Jobs";
        var root = http.Request.PathBase.Add(mount);
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Job storage unreachable · {Encode(title)}</title>
            <link rel="stylesheet" href="{Encode(root.Add("/assets/dashboard.css").Value)}?v={AssetVersion}">
            <script src="{Encode(root.Add("/assets/dashboard.js").Value)}?v={AssetVersion}" defer></script>
            </head>
            <body>
            <header class="top"><a class="brand" href="{Encode(root.Add("/").Value)}">{Encode(title)}</a><span class="search"></span>
            <button type="button" class="theme-toggle" data-theme-toggle title="Light or dark theme" aria-label="Light or dark theme">◐</button>
            </header>
            <main><h1>Job storage unreachable</h1><p class="flash flash-error" role="alert">{Encode(message)}</p>
            <p><a href="{Encode(http.Request.PathBase.Add(http.Request.Path).Value)}">Try again</a></p></main>
            </body></html>
            """;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";
        await response.WriteAsync(html, Encoding.UTF8, http.RequestAborted);
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
