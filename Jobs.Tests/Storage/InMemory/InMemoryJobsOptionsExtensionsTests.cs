using Jobs.Common;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Storage.InMemory;

public sealed class InMemoryJobsOptionsExtensionsTests
{
    [Test]
    public async Task UseInMemoryStorage_UsesContainersTimeProviderAndRetention_WhenConfigured()
    {
        var time = new ManualTimeProvider();
        await using var services = new ServiceCollection().AddSingleton<TimeProvider>(time).BuildServiceProvider();
        var options = new JobsOptions().UseInMemoryStorage(o => o.JobRetention = TimeSpan.FromHours(2));

        await using var storage = options.StorageFactory!(services);
        var id = await storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new DeletedState()), default);
        var details = await storage.Monitoring.GetJobDetailsAsync(id, default);

        Assert.That(storage, Is.TypeOf<InMemoryJobStorage>());
        Assert.That(details!.ExpireAt, Is.EqualTo(time.GetUtcNow().AddHours(2)));
    }

    [Test]
    public async Task UseInMemoryStorage_FallsBackToSystemClock_WhenContainerHasNoTimeProvider()
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        var options = new JobsOptions().UseInMemoryStorage();
        var before = DateTimeOffset.UtcNow;

        await using var storage = options.StorageFactory!(services);
        var id = await storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState()), default);

        Assert.That((await storage.Monitoring.GetJobDetailsAsync(id, default))!.Summary.CreatedAt, Is.GreaterThanOrEqualTo(before));
    }

    [Test]
    public void UseInMemoryStorage_Throws_WhenRetentionIsInvalid()
    {
        Assert.Throws<ArgumentException>(() => new JobsOptions().UseInMemoryStorage(o => o.JobRetention = TimeSpan.FromDays(-1)));
    }
}
