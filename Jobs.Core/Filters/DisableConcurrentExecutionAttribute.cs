using Jobs.Filters;

namespace Jobs;

/// <summary>
/// Lets only one instance of the job's method run at a time across every server: a storage lock named
/// after the type and method is held for the whole run. When the lock is not free within the timeout
/// the attempt fails with <see cref="Storage.DistributedLockTimeoutException"/> (so automatic retries apply).
/// </summary>
public sealed class DisableConcurrentExecutionAttribute : JobFilterAttribute, IServerFilter
{
    private const string LockItem = "Jobs.DisableConcurrentExecution.Lock";

    public DisableConcurrentExecutionAttribute(int timeoutInSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutInSeconds);
        Timeout = TimeSpan.FromSeconds(timeoutInSeconds);
    }

    /// <summary>How long to wait for the lock.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The lock's name for a job: <c>job:</c> plus the full type name, a dot and the method name.</summary>
    public static string GetResource(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return $"job:{job.Type.FullName ?? job.Type.Name}.{job.Method.Name}";
    }

    public async Task OnPerformingAsync(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handle = await context.Storage.AcquireLockAsync(GetResource(context.Job), Timeout, context.CancellationToken);
        context.Items[LockItem] = handle;
    }

    public async Task OnPerformedAsync(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.Remove(LockItem, out var value) && value is IAsyncDisposable handle)
        {
            await handle.DisposeAsync();
        }
    }
}
