using System.Linq.Expressions;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Jobs.Common;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Dashboard;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.DashboardUsers;

/// <summary>
/// Jobs.Server's own <c>Program</c> (in-memory storage) with users in <c>Jobs:Dashboard:Users</c>. Clients do not follow
/// redirects, so a test sees where it is sent; each client keeps its own cookies, like a browser.
/// </summary>
internal sealed partial class DashboardUsersHost : IAsyncDisposable
{
    public const string AdminName = "ada";
    public const string AdminPassword = "correct horse battery";
    public const string ViewerName = "val";
    public const string ViewerPassword = "staple-42";

    /// <summary>Made once: each hash costs a hundred thousand PBKDF2 rounds.</summary>
    public static readonly Lazy<(string Admin, string Viewer)> Hashes = new(() =>
    {
        var hasher = new PasswordHasher<string>();
        return (hasher.HashPassword(AdminName, AdminPassword), hasher.HashPassword(ViewerName, ViewerPassword));
    });

    private readonly WebApplicationFactory<Program> _factory;

    private DashboardUsersHost(WebApplicationFactory<Program> factory)
    {
        _factory = factory;
    }

    public IServiceProvider Services => _factory.Services;

    public IJobStorage Storage => Services.GetRequiredService<IJobStorage>();

    /// <summary>The server with the admin and the viewer configured, plus <paramref name="settings"/> (key, value).</summary>
    public static DashboardUsersHost Start(params (string Key, string Value)[] settings) => StartWith([.. UserSettings, .. settings]);

    /// <summary>The admin (entry 0) and the viewer (entry 1) as configuration keys and values.</summary>
    public static (string Key, string Value)[] UserSettings =>
    [
        ("Jobs:Dashboard:Users:0:Name", AdminName),
        ("Jobs:Dashboard:Users:0:PasswordHash", Hashes.Value.Admin),
        ("Jobs:Dashboard:Users:0:Role", "admin"),
        ("Jobs:Dashboard:Users:1:Name", ViewerName),
        ("Jobs:Dashboard:Users:1:PasswordHash", Hashes.Value.Viewer),
        ("Jobs:Dashboard:Users:1:Role", "Viewer"),
    ];

    /// <summary>The server with exactly these settings; starts it, so a configuration error throws here.</summary>
    public static DashboardUsersHost StartWith(params (string Key, string Value)[] settings)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Jobs", string.Empty);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        try
        {
            _ = factory.Server;
            return new DashboardUsersHost(factory);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public HttpClient CreateClient(string baseAddress = "http://localhost") =>
        _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    /// <summary>Opens the sign-in form (keeping its antiforgery cookie) and posts it.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password, string? returnUrl = null)
    {
        var form = await client.GetStringAsync("/jobs/login" + (returnUrl is null ? string.Empty : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(form),
            ["name"] = name,
            ["password"] = password,
            ["ReturnUrl"] = returnUrl ?? HiddenReturnUrl(form),
        };
        return await client.PostAsync("/jobs/login", new FormUrlEncodedContent(fields));
    }

    public static async Task<HttpClient> SignedInAsync(DashboardUsersHost host, string name, string password)
    {
        var client = host.CreateClient();
        using var response = await SignInAsync(client, name, password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), "sign-in as " + name);
        return client;
    }

    /// <summary>The antiforgery request token of the first form on a page.</summary>
    public static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.That(match.Success, Is.True, "No antiforgery token on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static string? Flash(string html)
    {
        var match = FlashPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static AuthenticationHeaderValue Basic(string name, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(name + ":" + password)));

    /// <summary>A Failed job in a queue the server does not serve, so it stays where an action puts it.</summary>
    public async Task<string> CreateFailedJobAsync()
    {
        Expression<Action<DashboardSampleJob>> call = j => j.Run("report");
        var invocation = InvocationData.Serialize(JobExpression.Parse(call, typeof(DashboardSampleJob)));
        var ids = await Storage.CreateJobsAsync([new NewJob(invocation, "parked", new FailedState(new InvalidOperationException("Boom")))], CancellationToken.None);
        return ids[0];
    }

    public async Task<string?> StateOfAsync(string id) => (await Storage.GetJobAsync(id, CancellationToken.None))?.StateName;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static string HiddenReturnUrl(string html) => WebUtility.HtmlDecode(ReturnUrlPattern().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlPattern();

    [GeneratedRegex("<p class=\"flash[^\"]*\" role=\"(?:status|alert)\">([^<]*)</p>")]
    private static partial Regex FlashPattern();
}
