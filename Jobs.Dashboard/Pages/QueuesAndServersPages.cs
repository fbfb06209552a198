using Jobs.Dashboard.Alerts;
using Jobs.Dashboard.Html;
using Microsoft.Extensions.DependencyInjection;

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

        AlertsBox(body, context);
        await DashboardLayout.WriteAsync(context, "Servers", body, statistics);
    }

    /// <summary>The alert e-mails' test button, for admins, when the host sends alert e-mails.</summary>
    private static void AlertsBox(HtmlWriter body, DashboardContext context)
    {
        if (!context.CanAct || context.Http.RequestServices.GetService<IDashboardTestEmailSender>() is null)
        {
            return;
        }

        body.Append($"""
            <h2>Alerts</h2>
            <form class="toolbar" method="post" action="{context.Url("/actions/alerts/test-email")}">
            <input type="hidden" name="{context.AntiforgeryFieldName}" value="{context.AntiforgeryToken}">
            <input type="hidden" name="returnUrl" value="{context.Url("/servers")}">
            <button type="submit" class="primary">Send test e-mail</button>
            <span class="muted">Sends the alert test e-mail now, with this host's alert settings, and shows where it went or the mail server's error.</span>
            </form>
            """);
    }
}
