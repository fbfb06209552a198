using Jobs.Common;
using Jobs.States;

namespace Jobs.Storage;

/// <summary>A job to write, with its first state.</summary>
/// <param name="Queue">The job's own queue: where it goes whenever it becomes Enqueued without an <see cref="EnqueuedState.Queue"/> of its own.</param>
public sealed record NewJob(InvocationData Invocation, string Queue, IState InitialState)
{
    /// <summary>Set when the job is a run of a recurring job.</summary>
    public string? RecurringJobId { get; init; }
}
