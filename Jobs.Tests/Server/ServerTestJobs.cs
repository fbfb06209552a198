namespace Jobs.Tests.Server;

/// <summary>Jobs the server tests enqueue; each reports to the <see cref="ServerProbe"/> it gets from DI.</summary>
public sealed class ProbeJob(ServerProbe probe)
{
    public static int StaticCalls;

    public static void RunStatic() => Interlocked.Increment(ref StaticCalls);

    public void Run(string tag)
    {
        probe.Events.Enqueue(tag);
        probe.Call();
        probe.Started.Release();
        probe.Finished.Release();
    }

    public async Task RunAsync(string tag)
    {
        probe.Started.Release();
        await probe.Gate.Task;
        probe.Events.Enqueue(tag);
        probe.Finished.Release();
    }

    public async Task<int> AddAsync(int a, int b)
    {
        await Task.Yield();
        return a + b;
    }

    public ValueTask<string> GreetAsync(string name) => ValueTask.FromResult($"Hello, {name}");

    public Report Build(int id) => new(id, "done");

    public void Noop()
    {
    }

    /// <summary>Waits for its token; reports when it is canceled.</summary>
    public async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        probe.Started.Release();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Canceled.TrySetResult();
            throw;
        }
    }

    /// <summary>Ignores its token and waits for the probe's gate.</summary>
    public async Task IgnoreCancellationAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        probe.Started.Release();
        await probe.Gate.Task;
    }

    /// <summary>Blocks until the gate opens on its first run, returns at once on later runs.</summary>
    public async Task BlockFirstRunAsync()
    {
        if (probe.Call() == 1)
        {
            probe.Started.Release();
            await probe.Gate.Task;
        }

        probe.Finished.Release();
    }

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = new[] { 0 })]
    public void FailTwiceRetried()
    {
        probe.Call();
        throw new InvalidOperationException("Boom");
    }

    [AutomaticRetry(Attempts = 1, DelaysInSeconds = new[] { 0 }, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public void FailThenDelete()
    {
        probe.Call();
        throw new InvalidOperationException("Boom");
    }

    [AutomaticRetry(Attempts = 0)]
    [JobTimeout(1)]
    public async Task TooSlowAsync(CancellationToken cancellationToken)
    {
        probe.Started.Release();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    [AutomaticRetry(Attempts = 0)]
    [JobTimeout("00:00:01")]
    public async Task TooSlowIgnoringTokenAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => probe.Canceled.TrySetResult());
        await probe.Gate.Task;
    }

    [JobTimeout("00:01:00")]
    public void QuickWithTimeout() => probe.Call();

    [DisableConcurrentExecution(30)]
    public async Task ExclusiveAsync()
    {
        probe.Enter();
        try
        {
            probe.Started.Release();
            await Task.Delay(200);
        }
        finally
        {
            probe.Leave();
            probe.Finished.Release();
        }
    }

    public void Take(Report report) => probe.Events.Enqueue(report.Status);
}

public sealed record Report(int Id, string Status);

/// <summary>A scoped service that records its disposal.</summary>
public sealed class ScopedResource(ServerProbe probe) : IDisposable
{
    public Guid Id { get; } = Guid.NewGuid();

    public void Dispose() => probe.Events.Enqueue("disposed:" + Id);
}

public sealed class ScopedJob(ScopedResource resource, ServerProbe probe)
{
    public void Run()
    {
        probe.Events.Enqueue("used:" + resource.Id);
        probe.Finished.Release();
    }
}

/// <summary>Filters on the class apply to every method.</summary>
[JobTimeout(1)]
[AutomaticRetry(Attempts = 0)]
public sealed class SlowClassJob(ServerProbe probe)
{
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        probe.Started.Release();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

[DisableConcurrentExecution(30)]
public sealed class ExclusiveClassJob(ServerProbe probe)
{
    public async Task RunAsync()
    {
        probe.Enter();
        try
        {
            await Task.Delay(100);
        }
        finally
        {
            probe.Leave();
        }
    }
}
