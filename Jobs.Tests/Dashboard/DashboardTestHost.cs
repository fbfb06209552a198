using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Jobs.Dashboard;
using Jobs.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Dashboard;

/// <summary>
/// A minimal ASP.NET Core app on a <see cref="TestServer"/> with the dashboard at /jobs. TestServer requests have no
/// remote address (not local); the client sends <c>X-Test-Remote</c>, which a middleware turns into the remote address.
/// </summary>
internal sealed partial class DashboardTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IJobStorage Storage => Services.GetRequiredService<IJobStorage>();

    public IBackgroundJobClient Jobs => Services.GetRequiredService<IBackgroundJobClient>();

    public IRecurringJobManager Recurring => Services.GetRequiredService<IRecurringJobManager>();

    /// <param name="remoteAddress">The address requests come from; null sends none (TestServer's own default).</param>
    /// <param name="postgreSqlSchema">Runs on PostgreSQL in this schema; null: the in-memory storage.</param>
    public static async Task<DashboardTestHost> StartAsync(
        Action<JobsDashboardOptions>? configure = null,
        string? remoteAddress = "127.0.0.1",
        bool withAuthentication = false,
        string? postgreSqlSchema = null,
        Action<IEndpointConventionBuilder>? conventions = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddJobs(o =>
        {
            if (postgreSqlSchema is null)
            {
                o.UseInMemoryStorage();
            }
            else
            {
                o.UsePostgreSqlStorage(Infrastructure.PostgreSqlTestDatabase.ConnectionString, pg => pg.SchemaName = postgreSqlSchema);
            }
        });
        builder.Services.AddJobsDashboard(configure: configure);
        if (withAuthentication)
        {
            builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
            builder.Services.AddAuthorizationBuilder()
                .AddPolicy("JobsViewer", p => p.RequireRole("viewer"))
                .AddPolicy("JobsAdmin", p => p.RequireRole("admin"));
        }

        var app = builder.Build();
        app.Use((context, next) =>
        {
            var remote = context.Request.Headers["X-Test-Remote"].ToString();
            if (remote.Length > 0)
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
            }

            return next(context);
        });
        if (withAuthentication)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        var dashboard = app.MapJobsDashboard("/jobs");
        conventions?.Invoke(dashboard);
        await app.Services.GetRequiredService<IJobStorage>().InitializeAsync(CancellationToken.None);
        await app.StartAsync();

        return new DashboardTestHost(app, CreateClient(app, remoteAddress));
    }

    /// <summary>Another browser: its own cookies, from <paramref name="remoteAddress"/>.</summary>
    public HttpClient CreateClient(string? remoteAddress = "127.0.0.1") => CreateClient(_app, remoteAddress);

    private static HttpClient CreateClient(WebApplication app, string? remoteAddress)
    {
        var client = new HttpClient(new CookieContainerHandler { InnerHandler = app.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };
        if (remoteAddress is not null)
        {
            client.DefaultRequestHeaders.Add("X-Test-Remote", remoteAddress);
        }

        return client;
    }

    public Task<string> EnqueueAsync(string text = "hello") => Jobs.EnqueueAsync<DashboardSampleJob>(j => j.Run(text));

    public async Task<string> CreateFailedAsync(string text = "broken", string message = "Boom")
    {
        var id = await EnqueueAsync(text);
        // Straight to the storage: through the client the automatic retry filter would elect Scheduled instead.
        var applied = await Storage.ChangeStatesAsync([new StateChange(id, new States.FailedState(new InvalidOperationException(message))) { ExpectedStates = ["Enqueued"] }], CancellationToken.None);
        Assert.That(applied[0], Is.True);
        return id;
    }

    public async Task<string?> StateOfAsync(string id) => (await Storage.GetJobAsync(id, CancellationToken.None))?.StateName;

    /// <summary>Reads the antiforgery token from a dashboard page with forms, else from the API (the cookie stays in the client).</summary>
    public async Task<string> GetTokenAsync(string page = "/jobs/failed")
    {
        var html = await Client.GetStringAsync(page);
        var match = TokenPattern().Match(html);
        if (match.Success)
        {
            return WebUtility.HtmlDecode(match.Groups[1].Value);
        }

        var json = await Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/jobs/api/antiforgery");
        return json.GetProperty("token").GetString()!;
    }

    /// <summary>Posts a dashboard form with a fresh antiforgery token; returns the response (a 303 on success).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string action, params (string Name, string Value)[] fields)
    {
        var token = await GetTokenAsync();
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        return await Client.PostAsync(action, new FormUrlEncodedContent(all));
    }

    /// <summary>Follows the action's redirect and returns the flash message shown there.</summary>
    public async Task<string> FlashAfterAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), await response.Content.ReadAsStringAsync());
        var page = await Client.GetStringAsync(response.Headers.Location);
        var match = FlashPattern().Match(page);
        Assert.That(match.Success, Is.True, "No flash message on " + response.Headers.Location);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<p class=\"flash[^\"]*\" role=\"status\">([^<]*)</p>")]
    private static partial Regex FlashPattern();
}
