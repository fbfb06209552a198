using Jobs.Dashboard.Html;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Pages;

/// <summary>Finds jobs by id, method or type name, or text in the arguments.</summary>
internal static class SearchPage
{
    public const int MaxResults = 100;
    public const int MaxQueryLength = 200;

    public static async Task RenderAsync(DashboardContext context)
    {
        var query = context.Http.Request.Query["q"].ToString().Trim();
        if (query.Length > MaxQueryLength)
        {
            await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Search too long", $"Search for at most {MaxQueryLength} characters.");
            return;
        }

        var body = new HtmlWriter();
        body.Append($"""
            <h1>Search</h1>
            <form method="get" action="{context.Url("/search")}" class="toolbar"><input type="text" name="q" value="{query}" placeholder="Job id, method, type or argument text"><button type="submit">Search</button></form>
            """);
        if (query.Length > 0)
        {
            var jobs = await context.Monitoring.SearchJobsAsync(query, MaxResults, context.Aborted);
            body.Append($"<p class=\"muted\">{jobs.Count}{(jobs.Count == MaxResults ? "+" : string.Empty)} jobs found.</p>");
            JobTable.Write(body, context, jobs, null, string.Empty);
        }

        await DashboardLayout.WriteAsync(context, "Search", body);
    }
}
