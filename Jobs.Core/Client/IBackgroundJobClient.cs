using Jobs.States;

namespace Jobs;

/// <summary>
/// Creates background jobs and changes their state. The familiar forms (<c>Enqueue</c>, <c>Schedule</c>,
/// <c>ContinueJobWith</c>, <c>Delete</c>, <c>Requeue</c>) are extension methods in <see cref="BackgroundJobClientExtensions"/>.
/// </summary>
public interface IBackgroundJobClient
{
    /// <summary>Creates a job in the given first state; returns its id. Throws <see cref="JobCreationCanceledException"/> when a client filter canceled it.</summary>
    Task<string> CreateAsync(Job job, IState state, CancellationToken cancellationToken = default);

    /// <summary>Creates many jobs in as few round trips as the storage allows; ids in the order given.</summary>
    Task<IReadOnlyList<string>> CreateManyAsync(IReadOnlyList<(Job Job, IState State)> jobs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a job to a new state (through the elect- and apply-state filters). With <paramref name="expectedState"/>,
    /// only from that state. Returns false when the job does not exist or was not in a state the change allows.
    /// </summary>
    Task<bool> ChangeStateAsync(string jobId, IState state, string? expectedState = null, CancellationToken cancellationToken = default);
}
