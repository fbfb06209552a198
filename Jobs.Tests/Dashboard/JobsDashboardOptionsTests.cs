using Jobs.Dashboard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class JobsDashboardOptionsTests
{
    [Test]
    public void Defaults_AreLocalOnlyWithNoPoliciesAndTwentyRows()
    {
        var options = new JobsDashboardOptions();

        Assert.That(options.ViewerPolicy, Is.Null);
        Assert.That(options.AdminPolicy, Is.Null);
        Assert.That(options.AllowLocalRequestsOnly, Is.Null);
        Assert.That(options.LocalOnly, Is.True);
        Assert.That(options.ReadOnly, Is.False);
        Assert.That(options.DefaultPageSize, Is.EqualTo(20));
        Assert.That(options.StatsPollingIntervalMs, Is.EqualTo(2000));
        Assert.That(options.FailedCountLimit, Is.EqualTo(10_000));
        Assert.That(options.SignOutPath, Is.Null);
    }

    [Test]
    public void LocalOnly_IsFalse_WhenAPolicyIsConfigured()
    {
        var options = new JobsDashboardOptions { AdminPolicy = "admins" };

        Assert.That(options.LocalOnly, Is.False);
    }

    [Test]
    public void AddJobsDashboard_BindsTheJobsDashboardSection_WhenConfigurationIsGiven()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:Dashboard:ViewerPolicy"] = "viewers",
            ["Jobs:Dashboard:AdminRoles:0"] = "ops",
            ["Jobs:Dashboard:ReadOnly"] = "true",
        }).Build();
        using var services = new ServiceCollection().AddJobsDashboard(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<JobsDashboardOptions>>().Value;

        Assert.That(options.ViewerPolicy, Is.EqualTo("viewers"));
        Assert.That(options.AdminRoles, Is.EqualTo(new[] { "ops" }));
        Assert.That(options.ReadOnly, Is.True);
    }

    [TestCase(0)]
    [TestCase(501)]
    public void Validate_Throws_WhenThePageSizeIsOutOfRange(int size) =>
        Assert.That(() => new JobsDashboardOptions { DefaultPageSize = size }.Validate(), Throws.ArgumentException);

    [TestCase(0)]
    [TestCase(-1)]
    public void Validate_Throws_WhenTheFailedCountLimitIsBelowOne(int limit) =>
        Assert.That(
            () => new JobsDashboardOptions { FailedCountLimit = limit }.Validate(),
            Throws.ArgumentException.With.Message.Contains("FailedCountLimit must be at least 1"));
}
