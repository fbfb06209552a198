using Jobs.Server;
using Jobs.States;
using Jobs.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Server;

public sealed class ServerProcessTests : ServerTestBase
{
    [Test]
    public async Task Start_RunsAndRestartsRegisteredBackgroundProcess_WhenItThrows()
    {
        var process = new FailingOnceProcess();
        var server = await StartServerAsync(services: s => s.AddSingleton<IBackgroundProcess>(process));

        var context = await process.Restarted.Task.WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(context.ServerId, Is.EqualTo(server.ServerId));
            Assert.That(context.Storage, Is.SameAs(Storage));
        });
    }

    [Test]
    public async Task Heartbeat_AnnouncesServerAgain_WhenStorageNoLongerKnowsIt()
    {
        var server = await StartServerAsync();
        await WaitForServerAsync(server.ServerId, present: true);

        await Storage.RemoveServerAsync(server.ServerId, "removed by the test", CancellationToken.None);

        await WaitForServerAsync(server.ServerId, present: true);
    }

    [Test]
    public async Task Expiration_DeletesExpiredJobs_WhenRetentionHasPassed()
    {
        var storage = new InMemoryJobStorage(new InMemoryStorageOptions { JobRetention = TimeSpan.Zero });
        await using var _ = storage;
        await StartServerAsync(o => o.ExpirationCheckInterval = TimeSpan.FromMilliseconds(100), storage: storage);
        var client = new BackgroundJobClient(storage);

        var id = await client.EnqueueAsync<ProbeJob>(j => j.Run("short-lived"));
        await WaitAsync(Probe.Finished);

        using var timeout = new CancellationTokenSource(Patience);
        while (await storage.GetJobAsync(id, CancellationToken.None) is { } job)
        {
            Assert.That(job.StateName, Is.AnyOf(EnqueuedState.StateName, ProcessingState.StateName, SucceededState.StateName));
            await Task.Delay(20, timeout.Token);
        }
    }

    [Test]
    public async Task Start_LeavesOutRecurringScheduler_WhenRunSchedulersIsOff()
    {
        var process = new FailingOnceProcess();
        var recurring = new Jobs.Recurring.RecurringJobScheduler();
        var probeStorage = new CountingDueReadsStorage(Storage);
        await StartServerAsync(
            o => o.RunSchedulers = false,
            storage: probeStorage,
            services: s => s.AddSingleton<IBackgroundProcess>(recurring).AddSingleton<IBackgroundProcess>(process));

        // The other process ran twice (failed, restarted) while the recurring scheduler never asked for due jobs.
        await process.Restarted.Task.WaitAsync(Patience);

        Assert.That(probeStorage.DueReads, Is.Zero);
    }

    [Test]
    public async Task Start_RunsRecurringJobs_WhenRunSchedulersIsOn()
    {
        var manager = new RecurringJobManager(Storage);
        await StartServerAsync();

        manager.AddOrUpdate<ProbeJob>("every-second", j => j.Run("recurring"), "* * * * * *");

        await WaitAsync(Probe.Finished);
        Assert.That(Probe.Events, Does.Contain("recurring"));
    }

    private async Task WaitForServerAsync(string serverId, bool present)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while ((await Storage.Monitoring.GetServersAsync(CancellationToken.None)).Any(s => s.Id == serverId) != present)
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
