namespace Jobs.Storage.InMemory;

/// <summary>Per-resource async locks; an entry lives only while someone holds or waits for it.</summary>
internal sealed class InMemoryLocks
{
    private const double MaxTimerMilliseconds = uint.MaxValue - 1d;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public InMemoryLocks(TimeProvider time)
    {
        _time = time;
    }

    public async Task<IAsyncDisposable> AcquireAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        cancellationToken.ThrowIfCancellationRequested();
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(resource, out entry))
            {
                entry = new Entry();
                _entries.Add(resource, entry);
            }

            entry.Users++;
        }

        try
        {
            if (!entry.Semaphore.Wait(0))
            {
                await WaitAsync(entry.Semaphore, resource, timeout, cancellationToken);
            }
        }
        catch
        {
            Leave(resource, entry);
            throw;
        }

        return new Releaser(this, resource, entry);
    }

    /// <summary>Timers take at most about 49 days; anything longer (TimeSpan.MaxValue included) means no timeout.</summary>
    internal static TimeSpan Bounded(TimeSpan timeout) =>
        timeout.TotalMilliseconds > MaxTimerMilliseconds ? Timeout.InfiniteTimeSpan : timeout;

    private async Task WaitAsync(SemaphoreSlim semaphore, string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeout = Bounded(timeout);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await semaphore.WaitAsync(cancellationToken);
            return;
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new DistributedLockTimeoutException(resource, timeout);
        }

        // The timeout runs on the injected clock, so tests move time instead of waiting.
        using var expiry = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, cancellationToken);
        try
        {
            await semaphore.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DistributedLockTimeoutException(resource, timeout);
        }
    }

    private void Leave(string resource, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(resource);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Releaser(InMemoryLocks owner, string resource, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(resource, entry);
            }

            return ValueTask.CompletedTask;
        }
    }
}
