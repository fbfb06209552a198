using Jobs.Storage;

namespace Jobs.Tests.Server;

/// <summary>Counts how often recurring jobs are looked for.</summary>
internal sealed class CountingDueReadsStorage(IJobStorage inner) : DelegatingJobStorage(inner)
{
    private int _dueReads;

    public int DueReads => Volatile.Read(ref _dueReads);

    public override Task<IReadOnlyList<RecurringJobRecord>> GetDueRecurringJobsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _dueReads);
        return base.GetDueRecurringJobsAsync(now, limit, cancellationToken);
    }
}
