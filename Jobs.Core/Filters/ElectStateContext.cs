using Jobs.Common;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Filters;

/// <summary>A job about to change state; filters may replace <see cref="CandidateState"/>.</summary>
public sealed class ElectStateContext : FilterContext
{
    public ElectStateContext(IJobStorage storage, IServiceProvider? services, string jobId, InvocationData invocation, Job? job, string? currentState, IState candidateState, int retryCount)
        : base(storage, services)
    {
        JobId = jobId;
        Invocation = invocation;
        Job = job;
        CurrentState = currentState;
        CandidateState = candidateState;
        RetryCount = retryCount;
    }

    public string JobId { get; }

    public InvocationData Invocation { get; }

    /// <summary>The job, or null when it could not be loaded (its type or method is gone).</summary>
    public Job? Job { get; }

    public string? CurrentState { get; }

    public IState CandidateState { get; set; }

    /// <summary>How many failed attempts have been retried; a filter that elects a retry increments it.</summary>
    public int RetryCount { get; set; }
}
