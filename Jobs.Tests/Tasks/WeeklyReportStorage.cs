using Jobs.Common;
using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Tasks;

/// <summary>
/// A storage holding finished runs written at chosen times, for the weekly report tests: in memory, or PostgreSQL
/// in a schema of its own (dropped again on dispose). Both keep finished jobs for the default retention of a day.
/// </summary>
internal sealed class WeeklyReportStorage : IAsyncDisposable
{
    private readonly ManualTimeProvider _time;
    private readonly string? _schema;

    private WeeklyReportStorage(ManualTimeProvider time, IJobStorage storage, string? schema)
    {
        _time = time;
        Storage = storage;
        _schema = schema;
    }

    public IJobStorage Storage { get; }

    public static async Task<WeeklyReportStorage> CreateAsync(DateTimeOffset start, bool postgreSql = false)
    {
        var time = new ManualTimeProvider(start);
        var schema = postgreSql ? PostgreSqlTestDatabase.NewSchemaName() : null;
        IJobStorage storage = schema is null
            ? new InMemoryJobStorage(timeProvider: time)
            : new PostgreSqlJobStorage(PostgreSqlTestDatabase.ConnectionString, new PostgreSqlStorageOptions { SchemaName = schema }, time);
        var created = new WeeklyReportStorage(time, storage, schema);
        try
        {
            await storage.InitializeAsync(default);
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        return created;
    }

    /// <summary>A job of <paramref name="invocation"/> that succeeded at <paramref name="at"/> after running <paramref name="duration"/>.</summary>
    public Task<string> SucceededAsync(InvocationData invocation, DateTimeOffset at, TimeSpan duration) =>
        FinishAsync(invocation, at, new SucceededState(null, TimeSpan.Zero, duration));

    public Task<string> FailedAsync(InvocationData invocation, DateTimeOffset at) =>
        FinishAsync(invocation, at, new FailedState(new InvalidOperationException("no connection")));

    /// <summary>Runs expiration at <paramref name="now"/> as a server does, in batches until nothing is left; returns how many jobs it removed.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset now)
    {
        var total = 0;
        for (var batch = await Storage.DeleteExpiredJobsAsync(now, 2, default); batch > 0; batch = await Storage.DeleteExpiredJobsAsync(now, 2, default))
        {
            total += batch;
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Storage.DisposeAsync();
        }
        finally
        {
            if (_schema is not null)
            {
                await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
            }
        }
    }

    private async Task<string> FinishAsync(InvocationData invocation, DateTimeOffset at, IState state)
    {
        _time.SetUtcNow(at);
        var id = await Storage.CreateJobAsync(new NewJob(invocation, "default", new EnqueuedState()), default);
        var applied = await Storage.ChangeStatesAsync([new StateChange(id, state)], default);
        Assert.That(applied, Is.EqualTo(new[] { true }));
        return id;
    }
}
