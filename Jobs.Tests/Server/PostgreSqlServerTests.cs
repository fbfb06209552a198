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
}
