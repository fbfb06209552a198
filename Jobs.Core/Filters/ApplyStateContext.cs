using Jobs.Common;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Filters;

/// <summary>A state change that was stored.</summary>
public sealed class ApplyStateContext : FilterContext
{
    public ApplyStateContext(IJobStorage storage, IServiceProvider? services, string jobId, InvocationData invocation, Job? job, string? oldStateName, IState newState, int retryCount)
        : base(storage, services)
    {
        JobId = jobId;
        Invocation = invocation;
        Job = job;
        OldStateName = oldStateName;
        NewState = newState;
        RetryCount = retryCount;
    }

    public string JobId { get; }

    public InvocationData Invocation { get; }

    public Job? Job { get; }

    public string? OldStateName { get; }

    public IState NewState { get; }

    public int RetryCount { get; }
}
