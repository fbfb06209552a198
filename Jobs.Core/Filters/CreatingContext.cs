using Jobs.States;
using Jobs.Storage;

namespace Jobs.Filters;

public sealed class CreatingContext : FilterContext
{
    public CreatingContext(IJobStorage storage, IServiceProvider? services, Job job, IState initialState)
        : base(storage, services)
    {
        Job = job;
        InitialState = initialState;
    }

    public Job Job { get; }

    public IState InitialState { get; set; }

    /// <summary>Set to true to not create the job; the client then returns null.</summary>
    public bool Canceled { get; set; }
}
