using Jobs.Filters;
using Jobs.Metrics;
using Jobs.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Metrics;

public sealed class JobsMetricsRegistrationTests
{
    [Test]
    public async Task AddJobsServer_RegistersOneMetricsFilterForEveryPipeline_WithoutCreatingTheStorage()
    {
        var storagesCreated = 0;
        var services = new ServiceCollection();
        services.AddJobs(o => o.UseStorage(_ =>
        {
            storagesCreated++;
            return new InMemoryJobStorage();
        }));
        services.AddJobsServer();
        services.AddJobsMetrics();
        await using var provider = services.BuildServiceProvider();

        var filters = provider.GetRequiredService<IJobFilterProvider>().GetFilters(null);

        Assert.Multiple(() =>
        {
            Assert.That(filters.OfType<JobMetricsFilter>().Count(), Is.EqualTo(1));
            Assert.That(provider.GetServices<IClientFilter>().OfType<JobMetricsFilter>().Count(), Is.EqualTo(1));
            Assert.That(provider.GetServices<IServerFilter>().OfType<JobMetricsFilter>().Count(), Is.EqualTo(1));
            Assert.That(provider.GetServices<IApplyStateFilter>().OfType<JobMetricsFilter>().Count(), Is.EqualTo(1));
            Assert.That(provider.GetRequiredService<JobsMetrics>().Meter.Name, Is.EqualTo(JobsMetrics.MeterName));
            Assert.That(storagesCreated, Is.Zero, "the gauges reach the storage only when first read");
        });
    }
}
