using Jobs.Storage;

namespace Jobs.Tests.Server;

/// <summary>
/// A storage that is "away": its first <c>failures</c> calls from the server's loops throw, and so does
/// every such call between <see cref="Break"/> and <see cref="Restore"/>.
/// </summary>
internal sealed class FlakyJobStorage : DelegatingJobStorage
{
    private int _failuresLeft;
    private int _failed;
    private volatile bool _broken;

    public FlakyJobStorage(IJobStorage inner, int failures)
        : base(inner)
    {
        _failuresLeft = failures;
    }

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Released once per failed call.</summary>
    public SemaphoreSlim Failures { get; } = new(0);

    public void Break() => _broken = true;

    public void Restore() => _broken = false;

    public override Task InitializeAsync(CancellationToken cancellationToken) => FailOr(() => base.InitializeAsync(cancellationToken));

    public override Task<IReadOnlyList<FetchedJob>> FetchNextAsync(FetchRequest request, CancellationToken cancellationToken) => FailOr(() => base.FetchNextAsync(request, cancellationToken));

    public override Task<bool> HeartbeatAsync(string serverId, DateTimeOffset now, CancellationToken cancellationToken) => FailOr(() => base.HeartbeatAsync(serverId, now, cancellationToken));

    public override Task<int> EnqueueDueScheduledJobsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) => FailOr(() => base.EnqueueDueScheduledJobsAsync(now, batchSize, cancellationToken));

    public override Task<IReadOnlyList<string>> RemoveTimedOutServersAsync(DateTimeOffset heartbeatCutoff, CancellationToken cancellationToken) => FailOr(() => base.RemoveTimedOutServersAsync(heartbeatCutoff, cancellationToken));

    public override Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken) => FailOr(() => base.ChangeStatesAsync(changes, cancellationToken));

    private Task<T> FailOr<T>(Func<Task<T>> call) => ShouldFail() ? Fail<T>() : call();

    private Task FailOr(Func<Task> call) => ShouldFail() ? Fail<bool>() : call();

    private bool ShouldFail() => _broken || Interlocked.Decrement(ref _failuresLeft) >= 0;

    private Task<T> Fail<T>()
    {
        Interlocked.Increment(ref _failed);
        Failures.Release();
        return Task.FromException<T>(new InvalidOperationException("The database is away (simulated)."));
    }
}
