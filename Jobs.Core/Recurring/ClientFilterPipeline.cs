using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;

namespace Jobs.Recurring;

/// <summary>
/// Runs the client filters (<see cref="IClientFilter"/>) around the creation of a recurring job's run,
/// as <see cref="BackgroundJobClient"/> does for every other job, so <c>[Queue]</c>-style and
/// state-changing filters see recurring runs too.
/// </summary>
internal sealed class ClientFilterPipeline
{
    private readonly IJobFilterProvider? _filters;
    private readonly IServiceProvider? _services;

    public ClientFilterPipeline(IJobFilterProvider? filters, IServiceProvider? services)
    {
        _filters = filters;
        _services = services;
    }

    /// <summary>Runs <see cref="IClientFilter.OnCreatingAsync"/>; the result says which filter canceled, if one did.</summary>
    public async Task<Run> CreatingAsync(IJobStorage storage, Job job, IState state)
    {
        var filters = _filters?.GetFilters(job).OfType<IClientFilter>().ToArray() ?? [];
        if (filters.Length == 0)
        {
            return new Run(job, state, filters, new Dictionary<string, object?>(StringComparer.Ordinal), CanceledBy: null);
        }

        var context = new CreatingContext(storage, _services, job, state);
        foreach (var filter in filters)
        {
            await filter.OnCreatingAsync(context);
            if (context.Canceled)
            {
                return new Run(job, context.InitialState, filters, context.Items, filter.GetType().Name);
            }
        }

        return new Run(job, context.InitialState, filters, context.Items, CanceledBy: null);
    }

    /// <summary>Runs <see cref="IClientFilter.OnCreatedAsync"/>; a null <paramref name="jobId"/> means no job was created.</summary>
    public async Task CreatedAsync(IJobStorage storage, Run run, string? jobId)
    {
        if (run.Filters.Count == 0)
        {
            return;
        }

        var context = new CreatedContext(storage, _services, run.Job, run.State, jobId, canceled: jobId is null) { Items = run.Items };
        foreach (var filter in run.Filters)
        {
            await filter.OnCreatedAsync(context);
        }
    }

    /// <summary>The job's own queue: the one an Enqueued state chosen by a filter names, else the recurring job's.</summary>
    public static string QueueFor(IState state, string recurringQueue) =>
        state is EnqueuedState { Queue: { } named } ? named : recurringQueue;

    internal sealed record Run(Job Job, IState State, IReadOnlyList<IClientFilter> Filters, IDictionary<string, object?> Items, string? CanceledBy);
}
