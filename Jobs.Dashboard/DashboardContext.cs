using Jobs.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dashboard;

/// <summary>One dashboard request: who asks, where the dashboard is mounted, and the storage it reads.</summary>
internal sealed class DashboardContext
{
    private string? _antiforgeryToken;

    public DashboardContext(HttpContext http, DashboardMount mount, DashboardAccess access)
    {
        Http = http;
        Mount = mount;
        Access = access;
        Storage = http.RequestServices.GetRequiredService<IJobStorage>();
        Time = http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
    }

    public HttpContext Http { get; }

    public DashboardMount Mount { get; }

    public JobsDashboardOptions Options => Mount.Options;

    public DashboardAccess Access { get; }

    public bool CanAct => Access == DashboardAccess.Admin;

    public IJobStorage Storage { get; }

    public IMonitoringApi Monitoring => Storage.Monitoring;

    public TimeProvider Time { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>An address under the dashboard, such as <c>Url("/failed")</c>.</summary>
    public string Url(string relative) => Http.Request.PathBase + Mount.Prefix + relative;

    /// <summary>The antiforgery request token for the forms of this page (also stores the cookie).</summary>
    public string AntiforgeryToken =>
        _antiforgeryToken ??= Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http).RequestToken ?? string.Empty;

    public string AntiforgeryFieldName =>
        Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http).FormFieldName;
}
