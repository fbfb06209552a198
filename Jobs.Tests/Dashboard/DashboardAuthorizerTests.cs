using System.Net;
using Jobs.Dashboard;
using Microsoft.AspNetCore.Http;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class DashboardAuthorizerTests
{
    [TestCase("127.0.0.1", null, true)]
    [TestCase("::1", null, true)]
    [TestCase("10.0.0.5", "10.0.0.5", true)]
    [TestCase("10.0.0.6", "10.0.0.5", false)]
    [TestCase("203.0.113.7", null, false)]
    [TestCase(null, "10.0.0.5", false)]
    public void IsLocal_TellsLoopbackAndSameAddressFromTheRest(string? remote, string? local, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = local is null ? null : IPAddress.Parse(local);

        Assert.That(DashboardAuthorizer.IsLocal(context.Connection), Is.EqualTo(expected));
    }
}
