using Jobs.Common;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Tasks;

/// <summary>An in-memory storage holding finished runs written at chosen times, for the weekly report tests.</summary>
internal sealed class WeeklyReportStorage : IAsyncDisposable
{
    private readonly ManualTimeProvider _time;

    private WeeklyReportStorage(ManualTimeProvider time, InMemoryJobStorage storage)
    {
        _time = time;
        Storage = storage;
    }

    public InMemoryJobStorage Storage { get; }

    public static async Task<WeeklyReportStorage> CreateAsync(DateTimeOffset start)
    {
        var time = new ManualTimeProvider(start);
        var storage = new InMemoryJobStorage(timeProvider: time);
        await storage.InitializeAsync(default);
        return new WeeklyReportStorage(time, storage);
    }

    /// <summary>A job of <paramref name="invocation"/> that succeeded at <paramref name="at"/> after running <paramref name="duration"/>.</summary>
    public Task<string> SucceededAsync(InvocationData invocation, DateTimeOffset at, TimeSpan duration) =>
        FinishAsync(invocation, at, new SucceededState(null, TimeSpan.Zero, duration));

    public Task<string> FailedAsync(InvocationData invocation, DateTimeOffset at) =>
        FinishAsync(invocation, at, new FailedState(new InvalidOperationException("no connection")));

    public ValueTask DisposeAsync() => Storage.DisposeAsync();

    private async Task<string> FinishAsync(InvocationData invocation, DateTimeOffset at, IState state)
    {
        _time.SetUtcNow(at);
        var id = await Storage.CreateJobAsync(new NewJob(invocation, "default", new EnqueuedState()), default);
        var applied = await Storage.ChangeStatesAsync([new StateChange(id, state)], default);
        Assert.That(applied, Is.EqualTo(new[] { true }));
        return id;
    }
}
