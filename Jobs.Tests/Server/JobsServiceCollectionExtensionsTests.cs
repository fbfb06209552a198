using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Server;

public sealed class JobsServiceCollectionExtensionsTests
{
    [Test]
    public void AddJobs_Throws_WhenNoStorageWasChosen()
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<InvalidOperationException>(() => services.AddJobs(_ => { }));

        Assert.That(ex!.Message, Does.Contain("UseInMemoryStorage"));
    }

    [Test]
    public async Task AddJobs_RegistersStorageClientAndFilters_WhenStorageIsChosen()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IApplyStateFilter, NoopApplyFilter>();
        services.AddJobs(o => o.UseInMemoryStorage());
        await using var provider = services.BuildServiceProvider();

        var storage = provider.GetRequiredService<IJobStorage>();
        var client = provider.GetRequiredService<IBackgroundJobClient>();
        var filters = provider.GetRequiredService<IJobFilterProvider>().GetFilters(null);

        Assert.Multiple(() =>
        {
            Assert.That(storage, Is.InstanceOf<InMemoryJobStorage>());
            Assert.That(provider.GetRequiredService<IJobStorage>(), Is.SameAs(storage));
            Assert.That(client, Is.InstanceOf<BackgroundJobClient>());
            Assert.That(provider.GetService<BackgroundJobStateChanger>(), Is.Not.Null);
            Assert.That(provider.GetService<TimeProvider>(), Is.SameAs(TimeProvider.System));
            Assert.That(filters.OfType<AutomaticRetryAttribute>(), Is.Not.Empty);
            Assert.That(filters.OfType<NoopApplyFilter>(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task AddJobsServer_PerformsJobs_WhenHostRuns()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<ServerProbe>();
        builder.Services.AddJobs(o => o.UseInMemoryStorage());
        builder.Services.AddJobsServer(o =>
        {
            o.ServerName = "hosted";
            o.QueuePollInterval = TimeSpan.FromMilliseconds(100);
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<IBackgroundJobClient>();
            var probe = host.Services.GetRequiredService<ServerProbe>();

            var id = await client.EnqueueAsync<ProbeJob>(j => j.Run("hosted"));

            Assert.That(await probe.Finished.WaitAsync(TimeSpan.FromSeconds(20)), Is.True);
            var server = host.Services.GetRequiredService<BackgroundJobServer>();
            Assert.That(server.ServerId, Does.StartWith("hosted:"));
            var storage = host.Services.GetRequiredService<IJobStorage>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while ((await storage.GetJobAsync(id, CancellationToken.None))!.StateName != SucceededState.StateName)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Test]
    public void AddJobsServer_FailsHostStartNamingTheProblem_WhenOptionsAreInvalid()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJobs(o => o.UseInMemoryStorage());
        builder.Services.AddJobsServer(o => o.Queues = ["Not A Queue"]);
        using var host = builder.Build();

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(ex!.Message, Does.Contain("Not A Queue"));
    }

    private sealed class NoopApplyFilter : IApplyStateFilter
    {
        public Task OnStateAppliedAsync(ApplyStateContext context) => Task.CompletedTask;

        public Task OnStateUnappliedAsync(ApplyStateContext context) => Task.CompletedTask;
    }
}
