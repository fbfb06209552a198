using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Dashboard;

/// <summary>Jobs.Server mounts the dashboard at /jobs with its default: local requests only.</summary>
[TestFixture]
public sealed class ServerHostDashboardTests
{
    [Test]
    public async Task Jobs_Returns403_WhenTheRequestIsNotLocal()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Jobs", string.Empty));
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/jobs/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Jobs_RendersTheOverview_WhenTheRequestIsLocal()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Jobs", string.Empty);
            b.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, LoopbackStartupFilter>());
        });
        using var client = factory.CreateClient();

        var overview = await client.GetAsync("/jobs/");
        var stats = await client.GetAsync("/jobs/api/stats");

        Assert.That(overview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await overview.Content.ReadAsStringAsync(), Does.Contain("Overview"));
        Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private sealed class LoopbackStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
