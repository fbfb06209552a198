using System.Linq.Expressions;
using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Server;

/// <summary>The server against a real PostgreSQL (ignored when <c>JOBS_TEST_CONNECTION</c> is not set); each test in its own schema.</summary>
public sealed class PostgreSqlServerTests : ServerTestBase
{
    private string _schema = null!;
    private PostgreSqlJobStorage _storage = null!;

    [SetUp]
    public async Task SetUpDatabase()
    {
        var connectionString = TestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        _storage = new PostgreSqlJobStorage(connectionString, new PostgreSqlStorageOptions { SchemaName = _schema });
        await _storage.InitializeAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDownDatabase()
    {
        await TearDownServers();
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
            await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
        }
    }

    [Test]
    public async Task Start_PerformsJob_WhenAnotherProcessEnqueuedIt()
    {
        await StartServerAsync(storage: _storage);
        await using var otherProcess = new PostgreSqlJobStorage(TestDatabase.ConnectionString, new PostgreSqlStorageOptions { SchemaName = _schema });
        var client = new BackgroundJobClient(otherProcess);

        var id = await client.EnqueueAsync<ProbeJob>(j => j.AddAsync(40, 2));

        var details = await WaitForStateAsync(_storage, id, SucceededState.StateName);
        Assert.That(details.Summary.StateData["Result"], Is.EqualTo("42"));
    }

    [Test]
    public async Task Start_DrainsManyJobs_WhenFetchAndCompletionAreBatched()
    {
        var client = new BackgroundJobClient(_storage);
        var calls = Enumerable.Range(0, 500).Select(_ => (Expression<Action<ProbeJob>>)(j => j.Noop())).ToArray();
        var ids = await client.EnqueueManyAsync(calls);

        await StartServerAsync(o => o.WorkerCount = 8, storage: _storage);

        foreach (var id in ids)
        {
            await WaitForStateAsync(_storage, id, SucceededState.StateName);
        }

        var processing = await _storage.Monitoring.GetJobsAsync(ProcessingState.StateName, 0, 10, CancellationToken.None);
        Assert.That(processing, Is.Empty);
    }

    [Test]
    public async Task Stop_RequeuesRunningJob_WhenItRunsPastShutdownTimeout()
    {
        var server = await StartServerAsync(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200), storage: _storage);
        var client = new BackgroundJobClient(_storage);
        var id = await client.EnqueueAsync<ProbeJob>(j => j.WaitForCancellationAsync(CancellationToken.None));
        await WaitAsync(Probe.Started);

        await server.StopAsync(CancellationToken.None);

        var job = await _storage.GetJobAsync(id, CancellationToken.None);
        Assert.That(job!.StateName, Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Perform_CancelsJobToken_WhenJobIsDeletedWhileRunning()
    {
        await StartServerAsync(storage: _storage);
        var client = new BackgroundJobClient(_storage);
        var id = await client.EnqueueAsync<ProbeJob>(j => j.WaitForCancellationAsync(CancellationToken.None));
        await WaitAsync(Probe.Started);

        Assert.That(await client.DeleteAsync(id), Is.True);

        await WaitAsync(Probe.Canceled.Task);
        await WaitForStateAsync(_storage, id, DeletedState.StateName);
    }

    [Test]
    public async Task Stop_RequeuesJobClaimedAhead_WhenNoWorkerStartedIt()
    {
        var client = new BackgroundJobClient(_storage);
        var running = await client.EnqueueAsync<ProbeJob>(j => j.WaitForCancellationAsync(CancellationToken.None));
        var ahead = await client.EnqueueAsync<ProbeJob>(j => j.Run("claimed ahead"));
        var server = await StartServerAsync(
            o =>
            {
                o.WorkerCount = 1;
                o.PrefetchCount = 1;
                o.QueuePollInterval = TimeSpan.FromMinutes(1);
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
            },
            storage: _storage);
        await WaitAsync(Probe.Started);
        await WaitForStateAsync(_storage, ahead, ProcessingState.StateName);

        await server.StopAsync(CancellationToken.None);

        var requeued = await _storage.GetJobAsync(ahead, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(requeued!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(Probe.Events, Does.Not.Contain("claimed ahead"));
        });
        Assert.That((await _storage.GetJobAsync(running, CancellationToken.None))!.StateName, Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Fetch_GivesBackJobClaimedAhead_WhenNoWorkerStartedItWithinThePollInterval()
    {
        var client = new BackgroundJobClient(_storage);
        await client.EnqueueAsync<ProbeJob>(j => j.WaitForCancellationAsync(CancellationToken.None));
        var ahead = await client.EnqueueAsync<ProbeJob>(j => j.Run("claimed ahead"));
        await StartServerAsync(
            o =>
            {
                o.WorkerCount = 1;
                o.PrefetchCount = 1;
                o.QueuePollInterval = TimeSpan.FromMilliseconds(300);
            },
            storage: _storage);
        await WaitAsync(Probe.Started);

        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var details = await _storage.Monitoring.GetJobDetailsAsync(ahead, CancellationToken.None);
            if (details!.History.Any(h => h.StateName == EnqueuedState.StateName && h.Reason?.Contains("Claimed ahead", StringComparison.Ordinal) == true))
            {
                break;
            }

            await Task.Delay(20, timeout.Token);
        }

        Assert.That(Probe.Events, Does.Not.Contain("claimed ahead"));
    }

    [Test]
    public async Task Start_DrainsManyJobs_WhenJobsAreClaimedAhead()
    {
        var client = new BackgroundJobClient(_storage);
        var calls = Enumerable.Range(0, 300).Select(_ => (Expression<Action<ProbeJob>>)(j => j.Noop())).ToArray();
        var ids = await client.EnqueueManyAsync(calls);

        await StartServerAsync(o => (o.WorkerCount, o.PrefetchCount) = (4, 8), storage: _storage);

        foreach (var id in ids)
        {
            await WaitForStateAsync(_storage, id, SucceededState.StateName);
        }

        var processing = await _storage.Monitoring.GetJobsAsync(ProcessingState.StateName, 0, 10, CancellationToken.None);
        Assert.That(processing, Is.Empty);
    }
}
