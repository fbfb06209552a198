using Jobs.Storage;

namespace Jobs.Filters;

/// <summary>A job about to be performed by a worker.</summary>
public class PerformingContext : FilterContext
{
    public PerformingContext(IJobStorage storage, IServiceProvider services, FetchedJob fetchedJob, Job job, string serverId, CancellationToken cancellationToken)
        : base(storage, services)
    {
        FetchedJob = fetchedJob;
        Job = job;
        ServerId = serverId;
        CancellationToken = cancellationToken;
    }

    public string JobId => FetchedJob.Id;

    public FetchedJob FetchedJob { get; }

    public Job Job { get; }

    public string ServerId { get; }

    /// <summary>Fires on shutdown, timeout or deletion of the job.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Set to true in <see cref="IServerFilter.OnPerformingAsync"/> to skip the method.</summary>
    public bool Canceled { get; set; }
}
