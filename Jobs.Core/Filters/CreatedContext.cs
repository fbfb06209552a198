using Jobs.States;
using Jobs.Storage;

namespace Jobs.Filters;

public sealed class CreatedContext : FilterContext
{
    public CreatedContext(IJobStorage storage, IServiceProvider? services, Job job, IState initialState, string? jobId, bool canceled)
        : base(storage, services)
    {
        Job = job;
        InitialState = initialState;
        JobId = jobId;
        Canceled = canceled;
    }

    public Job Job { get; }

    public IState InitialState { get; }

    /// <summary>The new job's id, or null when a filter canceled the creation.</summary>
    public string? JobId { get; }

    public bool Canceled { get; }
}
