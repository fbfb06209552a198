using System.Collections.Concurrent;

namespace Jobs.Tests.Server;

/// <summary>What the test jobs report to the test (a DI singleton of the server under test).</summary>
public sealed class ServerProbe
{
    private int _calls;
    private int _concurrent;
    private int _maxConcurrent;

    /// <summary>Released once per job start.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    /// <summary>Released once per job end.</summary>
    public SemaphoreSlim Finished { get; } = new(0);

    /// <summary>What blocking jobs wait for.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a job saw its token canceled.</summary>
    public TaskCompletionSource Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Events { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public int Call() => Interlocked.Increment(ref _calls);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref _concurrent);
}
