using System.Reflection;
using Jobs.Common;
using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;

namespace Jobs;

/// <summary>
/// The client: runs client filters, serializes the job and writes it with its first state.
/// Usable from DI (<c>services.AddJobs(...)</c>) or by hand: <c>new BackgroundJobClient(storage)</c>.
/// </summary>
public sealed class BackgroundJobClient : IBackgroundJobClient
{
    private readonly IJobFilterProvider _filters;
    private readonly IServiceProvider? _services;
    private readonly BackgroundJobStateChanger _stateChanger;

    public BackgroundJobClient(IJobStorage storage)
        : this(storage, new JobFilterProvider([new AutomaticRetryAttribute()]))
    {
    }

    public BackgroundJobClient(IJobStorage storage, IJobFilterProvider filters, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(filters);
        Storage = storage;
        _filters = filters;
        _services = services;
        _stateChanger = new BackgroundJobStateChanger(storage, filters, services);
    }

    public IJobStorage Storage { get; }

    /// <summary>The same client writing to another storage (for example one bound to the caller's transaction).</summary>
    public BackgroundJobClient WithStorage(IJobStorage storage) => new(storage, _filters, _services);

    public async Task<string> CreateAsync(Job job, IState state, CancellationToken cancellationToken = default)
    {
        var newJob = await PrepareAsync(job, state);
        var id = await Storage.CreateJobAsync(newJob.Job, cancellationToken);
        await CompleteAsync(newJob, id);
        return id;
    }

    /// <summary>
    /// <see cref="CreateAsync"/> for the synchronous client calls: on the calling thread, with blocking I/O when the
    /// storage offers it (client filters that complete synchronously, as most do, add no thread hop either).
    /// </summary>
    internal string Create(Job job, IState state)
    {
        if (Storage is not ISynchronousJobCreation synchronous)
        {
            return CreateAsync(job, state).GetAwaiter().GetResult();
        }

        var newJob = PrepareAsync(job, state).GetAwaiter().GetResult();
        var id = synchronous.CreateJobs([newJob.Job])[0];
        CompleteAsync(newJob, id).GetAwaiter().GetResult();
        return id;
    }

    public async Task<IReadOnlyList<string>> CreateManyAsync(IReadOnlyList<(Job Job, IState State)> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var prepared = new Prepared[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            prepared[i] = await PrepareAsync(jobs[i].Job, jobs[i].State);
        }

        var ids = await Storage.CreateJobsAsync(prepared.Select(p => p.Job).ToArray(), cancellationToken);
        for (var i = 0; i < prepared.Length; i++)
        {
            await CompleteAsync(prepared[i], ids[i]);
        }

        return ids;
    }

    public async Task<bool> ChangeStateAsync(string jobId, IState state, string? expectedState = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentNullException.ThrowIfNull(state);
        var stored = await Storage.GetJobAsync(jobId, cancellationToken);
        if (stored is null || (expectedState is not null && !string.Equals(stored.StateName, expectedState, StringComparison.Ordinal)))
        {
            return false;
        }

        Job? job;
        try
        {
            job = stored.Invocation.Deserialize();
        }
        catch (JobLoadException)
        {
            job = null; // a job whose code is gone can still be deleted or requeued
        }

        var request = new StateChangeRequest(jobId, stored.Invocation, job, stored.StateName, state, [stored.StateName], stored.RetryCount);
        return await _stateChanger.ChangeStateAsync(request, cancellationToken);
    }

    /// <summary>The queue a job goes to: the caller's, else <c>[Queue]</c> on the method or class, else "default".</summary>
    internal static string ResolveQueue(Job job) =>
        job.Queue
        ?? job.Method.GetCustomAttribute<QueueAttribute>(inherit: true)?.Queue
        ?? job.Type.GetCustomAttribute<QueueAttribute>(inherit: true)?.Queue
        ?? EnqueuedState.DefaultQueue;

    private async Task<Prepared> PrepareAsync(Job job, IState state)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(state);
        var filters = _filters.GetFilters(job);
        var creating = new CreatingContext(Storage, _services, job, state);
        foreach (var filter in filters.OfType<IClientFilter>())
        {
            await filter.OnCreatingAsync(creating);
            if (creating.Canceled)
            {
                await NotifyCreatedAsync(filters, new CreatedContext(Storage, _services, job, creating.InitialState, null, canceled: true));
                throw new JobCreationCanceledException($"Creating job {job} was canceled by the client filter {filter.GetType().Name}.");
            }
        }

        var initial = creating.InitialState;
        var queue = initial is EnqueuedState { Queue: { } named } ? named : ResolveQueue(job);
        var newJob = new NewJob(InvocationData.Serialize(job), queue, initial);
        return new Prepared(job, newJob, filters, creating.Items);
    }

    private Task CompleteAsync(Prepared prepared, string id) =>
        NotifyCreatedAsync(prepared.Filters, new CreatedContext(Storage, _services, prepared.Source, prepared.Job.InitialState, id, canceled: false) { Items = prepared.Items });

    private static async Task NotifyCreatedAsync(IReadOnlyList<object> filters, CreatedContext context)
    {
        foreach (var filter in filters.OfType<IClientFilter>())
        {
            await filter.OnCreatedAsync(context);
        }
    }

    private sealed record Prepared(Job Source, NewJob Job, IReadOnlyList<object> Filters, IDictionary<string, object?> Items);
}
