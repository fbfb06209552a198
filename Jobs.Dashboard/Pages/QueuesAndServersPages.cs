using Jobs.Dashboard.Html;

namespace Jobs.Dashboard.Pages;

/// <summary>The queues with their lengths and next jobs, and the servers with their heartbeats.</summary>
internal static class QueuesAndServersPages
{
    public static async Task QueuesAsync(DashboardContext context)
    {
        var queues = await context.Monitoring.GetQueuesAsync(5, context.Aborted);
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var body = new HtmlWriter();
        body.Append($"<h1>Queues</h1>");
        if (queues.Count == 0)
        {
            body.Append($"<p class=\"muted\">No queues.</p>");
        }

        foreach (var queue in queues)
        {
            body.Append($"<h2><a href=\"{context.Url("/enqueued")}?queue={Uri.EscapeDataString(queue.Name)}\">{queue.Name}</a> <span class=\"count\">{Format.Number(queue.Length)} enqueued</span></h2>");
            JobTable.Write(body, context, queue.FirstJobs, null, string.Empty);
        }

        await DashboardLayout.WriteAsync(context, "Queues", body, statistics);
    }

    public static async Task ServersAsync(DashboardContext context)
    {
        var now = context.Time.GetUtcNow();
        var servers = await context.Monitoring.GetServersAsync(context.Aborted);
        var statistics = await context.Monitoring.GetStatisticsAsync(context.Aborted);
        var body = new HtmlWriter();
        body.Append($"<h1>Servers</h1>");
        if (servers.Count == 0)
        {
            body.Append($"<p class=\"muted\">No servers are running.</p>");
        }
        else
        {
            body.Append($"<div class=\"table-wrap\"><table><thead><tr><th>Server</th><th class=\"num\">Workers</th><th>Queues</th><th>Started</th><th>Heartbeat</th></tr></thead><tbody>");
            foreach (var server in servers)
            {
                body.Append($"<tr><td>{server.Id}</td><td class=\"num\">{server.WorkerCount}</td><td>{string.Join(", ", server.Queues)}</td><td>{Format.TimeTag(server.StartedAt, now)}</td><td>{Format.TimeTag(server.LastHeartbeat, now)}</td></tr>");
            }

            body.Append($"</tbody></table></div>");
        }

        await DashboardLayout.WriteAsync(context, "Servers", body, statistics);
    }
}
