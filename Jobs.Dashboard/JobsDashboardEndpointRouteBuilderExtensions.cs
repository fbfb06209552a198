using Jobs.Dashboard.Actions;
using Jobs.Dashboard.Api;
using Jobs.Dashboard.Html;
using Jobs.Dashboard.Pages;
using Jobs.States;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Dashboard;

/// <summary><c>app.MapJobsDashboard("/jobs")</c>: the pages, the JSON API under <c>/api/</c>, the actions and the assets.</summary>
public static class JobsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Mounts the dashboard under <paramref name="prefix"/>. Options come from <paramref name="options"/>, else from the
    /// <see cref="JobsDashboardOptions"/> registered by <c>AddJobsDashboard</c>. Returns the group, so a host can chain
    /// <c>.RequireAuthorization(…)</c>. Needs <c>AddJobs</c> (storage, client, recurring manager) and <c>AddJobsDashboard</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/jobs", JobsDashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The dashboard prefix must start with '/': '{prefix}'.", nameof(prefix));
        }

        options ??= endpoints.ServiceProvider.GetService<IOptions<JobsDashboardOptions>>()?.Value ?? new JobsDashboardOptions();
        options.Validate();
        if (endpoints.ServiceProvider.GetService<IAntiforgery>() is null)
        {
            throw new InvalidOperationException("The Jobs dashboard needs antiforgery: call services.AddJobsDashboard() (or services.AddAntiforgery()).");
        }

        var mount = new DashboardMount(new PathString(prefix.TrimEnd('/')), options);
        var group = endpoints.MapGroup(mount.Prefix.HasValue ? mount.Prefix.Value! : "/");

        group.MapGet("/assets/{name}", (HttpContext http, string name) => DashboardAssets.ServeAsync(http, name)).AllowAnonymous();

        Page(group, mount, "/", OverviewPage.RenderAsync);
        Page(group, mount, "/enqueued", c => JobListPage.StateAsync(c, EnqueuedState.StateName, "/enqueued"));
        Page(group, mount, "/scheduled", c => JobListPage.StateAsync(c, ScheduledState.StateName, "/scheduled"));
        Page(group, mount, "/awaiting", c => JobListPage.StateAsync(c, AwaitingState.StateName, "/awaiting"));
        Page(group, mount, "/processing", c => JobListPage.StateAsync(c, ProcessingState.StateName, "/processing"));
        Page(group, mount, "/succeeded", c => JobListPage.StateAsync(c, SucceededState.StateName, "/succeeded"));
        Page(group, mount, "/failed", FailedJobsPage.RenderAsync);
        Page(group, mount, "/deleted", c => JobListPage.StateAsync(c, DeletedState.StateName, "/deleted"));
        Page(group, mount, "/retries", JobListPage.RetriesAsync);
        Page(group, mount, "/job/{id}", c => JobDetailPage.RenderAsync(c, RouteValue(c, "id")));
        Page(group, mount, "/recurring", RecurringPages.ListAsync);
        Page(group, mount, "/recurring/{id}", c => RecurringPages.DetailAsync(c, RouteValue(c, "id")));
        Page(group, mount, "/queues", QueuesAndServersPages.QueuesAsync);
        Page(group, mount, "/servers", QueuesAndServersPages.ServersAsync);
        Page(group, mount, "/search", SearchPage.RenderAsync);

        FormAction(group, mount, "/actions/jobs/requeue", (c, f) => JobActions.RunAsync(c, JobActions.Kind.Requeue, Ids(f), f["expected"]));
        FormAction(group, mount, "/actions/jobs/delete", (c, f) => JobActions.RunAsync(c, JobActions.Kind.Delete, Ids(f), f["expected"]));
        FormAction(group, mount, "/actions/jobs/enqueue", (c, f) => JobActions.RunAsync(c, JobActions.Kind.EnqueueNow, Ids(f), f["expected"]));
        FormAction(group, mount, "/actions/failed/requeue", (c, f) => MatchingFailedAsync(c, JobActions.Kind.Requeue, name => f[name]));
        FormAction(group, mount, "/actions/failed/delete", (c, f) => MatchingFailedAsync(c, JobActions.Kind.Delete, name => f[name]));
        FormAction(group, mount, "/actions/recurring/trigger", (c, f) => RecurringActions.RunAsync(c, RecurringActions.Kind.Trigger, f["id"]));
        FormAction(group, mount, "/actions/recurring/pause", (c, f) => RecurringActions.RunAsync(c, RecurringActions.Kind.Pause, f["id"]));
        FormAction(group, mount, "/actions/recurring/resume", (c, f) => RecurringActions.RunAsync(c, RecurringActions.Kind.Resume, f["id"]));
        FormAction(group, mount, "/actions/recurring/remove", (c, f) => RecurringActions.RunAsync(c, RecurringActions.Kind.Remove, f["id"]));
        FormAction(group, mount, "/actions/recurring/reschedule", (c, f) => RecurringActions.RescheduleAsync(c, f["id"], f["cron"], f["timeZone"]));
        FormAction(group, mount, "/actions/alerts/test-email", (c, _) => AlertActions.SendTestEmailAsync(c));

        ApiRead(group, mount, "/api/stats", DashboardApi.StatsAsync);
        ApiRead(group, mount, "/api/status", DashboardApi.StatusAsync);
        ApiRead(group, mount, "/api/jobs", DashboardApi.JobsAsync);
        ApiRead(group, mount, "/api/jobs/{id}", c => DashboardApi.JobAsync(c, RouteValue(c, "id")));
        ApiRead(group, mount, "/api/jobs/{id}/log", c => DashboardApi.JobLogAsync(c, RouteValue(c, "id")));
        ApiRead(group, mount, "/api/recurring", DashboardApi.RecurringAsync);
        ApiRead(group, mount, "/api/recurring/{id}", c => DashboardApi.RecurringJobAsync(c, RouteValue(c, "id")));
        ApiRead(group, mount, "/api/servers", DashboardApi.ServersAsync);
        ApiRead(group, mount, "/api/queues", DashboardApi.QueuesAsync);
        ApiRead(group, mount, "/api/search", DashboardApi.SearchAsync);
        ApiRead(group, mount, "/api/antiforgery", c => Task.FromResult(Results.Json(new { fieldName = c.AntiforgeryFieldName, headerName = HeaderName(c), token = c.AntiforgeryToken })));

        ApiAction(group, mount, "/api/jobs/{id}/requeue", c => JobActions.RunAsync(c, JobActions.Kind.Requeue, [RouteValue(c, "id")], c.Http.Request.Query["expected"]));
        ApiAction(group, mount, "/api/jobs/{id}/delete", c => JobActions.RunAsync(c, JobActions.Kind.Delete, [RouteValue(c, "id")], c.Http.Request.Query["expected"]));
        ApiAction(group, mount, "/api/jobs/{id}/enqueue", c => JobActions.RunAsync(c, JobActions.Kind.EnqueueNow, [RouteValue(c, "id")], c.Http.Request.Query["expected"]));
        ApiAction(group, mount, "/api/failed/requeue", c => MatchingFailedAsync(c, JobActions.Kind.Requeue, name => c.Http.Request.Query[name]));
        ApiAction(group, mount, "/api/failed/delete", c => MatchingFailedAsync(c, JobActions.Kind.Delete, name => c.Http.Request.Query[name]));
        ApiAction(group, mount, "/api/recurring/{id}/trigger", c => RecurringActions.RunAsync(c, RecurringActions.Kind.Trigger, RouteValue(c, "id")));
        ApiAction(group, mount, "/api/recurring/{id}/pause", c => RecurringActions.RunAsync(c, RecurringActions.Kind.Pause, RouteValue(c, "id")));
        ApiAction(group, mount, "/api/recurring/{id}/resume", c => RecurringActions.RunAsync(c, RecurringActions.Kind.Resume, RouteValue(c, "id")));
        ApiAction(group, mount, "/api/recurring/{id}/remove", c => RecurringActions.RunAsync(c, RecurringActions.Kind.Remove, RouteValue(c, "id")));
        ApiAction(group, mount, "/api/alerts/test-email", AlertActions.SendTestEmailAsync);
        ApiAction(group, mount, "/api/recurring/{id}/schedule", c => RecurringActions.RescheduleAsync(c, RouteValue(c, "id"), c.Http.Request.Query["cron"], c.Http.Request.Query["timeZone"]));

        return group;
    }

    private static void Page(RouteGroupBuilder group, DashboardMount mount, string pattern, Func<DashboardContext, Task> render) =>
        group.MapGet(pattern, async http =>
        {
            var access = await DashboardAuthorizer.GetAccessAsync(http, mount.Options);
            if (access is DashboardAccess.Unauthenticated or DashboardAccess.Forbidden)
            {
                await RefuseAsync(http, mount, access, json: false);
                return;
            }

            await render(new DashboardContext(http, mount, access));
        });

    private static void FormAction(RouteGroupBuilder group, DashboardMount mount, string pattern, Func<DashboardContext, IFormCollection, Task<ActionOutcome>> act) =>
        group.MapPost(pattern, async http =>
        {
            var access = await DashboardAuthorizer.GetAccessAsync(http, mount.Options);
            if (access != DashboardAccess.Admin)
            {
                Refused(http, pattern, access.ToString());
                await RefuseAsync(http, mount, access == DashboardAccess.Viewer ? DashboardAccess.Forbidden : access, json: false);
                return;
            }

            var context = new DashboardContext(http, mount, access);
            if (!await IsAntiforgeryValidAsync(http))
            {
                Refused(http, pattern, "antiforgery token missing or invalid");
                await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Form expired",
                    "The form was not sent by this dashboard or has expired, so nothing was changed. Go back, reload the page and try again.");
                return;
            }

            if (!http.Request.HasFormContentType)
            {
                await DashboardLayout.WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad request", "Actions are sent as forms: nothing was changed.");
                return;
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var outcome = await act(context, form);
            Done(http, pattern, outcome);
            new FlashMessage(outcome.Message, !outcome.Changed).Store(context);
            http.Response.StatusCode = StatusCodes.Status303SeeOther;
            http.Response.Headers.Location = SafeReturnUrl(context, form["returnUrl"]);
        });

    private static void ApiRead(RouteGroupBuilder group, DashboardMount mount, string pattern, Func<DashboardContext, Task<IResult>> read) =>
        group.MapGet(pattern, async http =>
        {
            var access = await DashboardAuthorizer.GetAccessAsync(http, mount.Options);
            if (access is DashboardAccess.Unauthenticated or DashboardAccess.Forbidden)
            {
                await RefuseAsync(http, mount, access, json: true);
                return;
            }

            var result = await read(new DashboardContext(http, mount, access));
            http.Response.Headers.CacheControl = "no-store";
            await result.ExecuteAsync(http);
        });

    private static void ApiAction(RouteGroupBuilder group, DashboardMount mount, string pattern, Func<DashboardContext, Task<ActionOutcome>> act) =>
        group.MapPost(pattern, async http =>
        {
            var access = await DashboardAuthorizer.GetAccessAsync(http, mount.Options);
            if (access != DashboardAccess.Admin)
            {
                Refused(http, pattern, access.ToString());
                await RefuseAsync(http, mount, access == DashboardAccess.Viewer ? DashboardAccess.Forbidden : access, json: true);
                return;
            }

            if (!await IsAntiforgeryValidAsync(http))
            {
                Refused(http, pattern, "antiforgery token missing or invalid");
                await DashboardApi.Problem(StatusCodes.Status400BadRequest, "The antiforgery token is missing or invalid (get one from api/antiforgery): nothing was changed.").ExecuteAsync(http);
                return;
            }

            var outcome = await act(new DashboardContext(http, mount, access));
            Done(http, pattern, outcome);
            await DashboardApi.Outcome(outcome).ExecuteAsync(http);
        });

    private static void Done(HttpContext http, string action, ActionOutcome outcome) =>
        Log.ActionDone(Logger(http), action, UserName(http), http.Connection.RemoteIpAddress?.ToString(), outcome.Message);

    private static void Refused(HttpContext http, string action, string reason) =>
        Log.ActionRefused(Logger(http), action, UserName(http), http.Connection.RemoteIpAddress?.ToString(), reason);

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Jobs.Dashboard") ?? NullLogger.Instance;

    private static string UserName(HttpContext http) => http.User.Identity?.Name ?? "anonymous";

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

    internal static async Task RefuseAsync(HttpContext http, DashboardMount mount, DashboardAccess access, bool json)
    {
        var local = mount.Options.LocalOnly && !DashboardAuthorizer.IsLocal(http.Connection);
        if (!local && !json && await HasSchemeAsync(http, challenge: access == DashboardAccess.Unauthenticated))
        {
            // The host's authentication decides what a refusal looks like (a login page, a 401 with a header…).
            if (access == DashboardAccess.Unauthenticated)
            {
                await http.ChallengeAsync();
            }
            else
            {
                await http.ForbidAsync();
            }

            return;
        }

        var status = access == DashboardAccess.Unauthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        var message = local
            ? "The dashboard only accepts requests from this machine. Configure Jobs:Dashboard (ViewerPolicy, AdminPolicy or roles) to open it to signed-in users."
            : status == StatusCodes.Status401Unauthorized ? "Sign in to see the dashboard." : "You are not allowed to do this.";
        if (json)
        {
            await DashboardApi.Problem(status, message).ExecuteAsync(http);
            return;
        }

        var body = new HtmlWriter();
        body.Append($"<h1>{(status == StatusCodes.Status401Unauthorized ? "Sign in" : "Access denied")}</h1><p class=\"message\">{message}</p>");
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status}</title></head><body>{body}</body></html>", http.RequestAborted);
    }

    private static async Task<bool> HasSchemeAsync(HttpContext http, bool challenge)
    {
        var schemes = http.RequestServices.GetService<IAuthenticationSchemeProvider>();
        if (schemes is null)
        {
            return false;
        }

        return (challenge ? await schemes.GetDefaultChallengeSchemeAsync() : await schemes.GetDefaultForbidSchemeAsync()) is not null;
    }

    private static string SafeReturnUrl(DashboardContext context, string? returnUrl)
    {
        var root = context.Url(string.Empty);
        if (!string.IsNullOrEmpty(returnUrl)
            && (returnUrl == root || returnUrl.StartsWith(root + "/", StringComparison.Ordinal) || (root.Length == 0 && returnUrl.StartsWith('/')))
            && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal))
        {
            return returnUrl;
        }

        return context.Url("/");
    }

    private static string HeaderName(DashboardContext context) =>
        context.Http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.HeaderName ?? "RequestVerificationToken";

    private static Task<ActionOutcome> MatchingFailedAsync(DashboardContext context, JobActions.Kind kind, Func<string, Microsoft.Extensions.Primitives.StringValues> get) =>
        FailedJobFilterRequest.TryParse(get, out var filter, out var error)
            ? MatchingFailedJobActions.RunAsync(context, kind, filter)
            : Task.FromResult(ActionOutcome.BadRequest(error + " Nothing was changed."));

    private static IReadOnlyList<string> Ids(IFormCollection form)
    {
        // A row's own button (name="id") acts on that row only; otherwise on the ticked boxes.
        var single = form["id"].ToString();
        return single.Length > 0 ? [single] : form["ids"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
    }

    private static string RouteValue(DashboardContext context, string name) => context.Http.Request.RouteValues[name]?.ToString() ?? string.Empty;
}
