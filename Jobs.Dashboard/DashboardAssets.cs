using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard;

/// <summary>The CSS and JS embedded in the assembly, served with long cache headers (addresses carry the version).</summary>
internal static class DashboardAssets
{
    private static readonly Lazy<byte[]> Css = new(() => Load("Jobs.Dashboard.dashboard.css"));
    private static readonly Lazy<byte[]> Js = new(() => Load("Jobs.Dashboard.dashboard.js"));

    public static string Version { get; } =
        typeof(DashboardAssets).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    public static async Task ServeAsync(HttpContext context, string name)
    {
        var (content, type) = name switch
        {
            "dashboard.css" => (Css.Value, "text/css; charset=utf-8"),
            "dashboard.js" => (Js.Value, "text/javascript; charset=utf-8"),
            _ => (null, null),
        };
        if (content is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = type;
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.ETag = "\"" + Version + "\"";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.ContentLength = content.Length;
        await context.Response.Body.WriteAsync(content, context.RequestAborted);
    }

    private static byte[] Load(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded asset {resource} is missing from Jobs.Dashboard.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
