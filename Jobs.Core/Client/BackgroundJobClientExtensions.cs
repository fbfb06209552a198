using System.Linq.Expressions;
using Jobs.Common;
using Jobs.States;

namespace Jobs;

/// <summary>
/// The familiar client calls: <c>Enqueue</c>, <c>Schedule</c>, <c>ContinueJobWith</c>, <c>Delete</c>,
/// <c>Requeue</c>, and their async forms. Instance methods are written <c>client.Enqueue&lt;T&gt;(x => x.Run(42))</c>
/// (T is resolved from the job's DI scope); static methods <c>client.Enqueue(() => Tasks.Run(42))</c>.
/// </summary>
public static class BackgroundJobClientExtensions
{
    // Enqueue ---------------------------------------------------------------------------------

    public static string Enqueue<T>(this IBackgroundJobClient client, Expression<Action<T>> methodCall) =>
        Create(client, Parse(methodCall, typeof(T), null), new EnqueuedState(null));

    public static string Enqueue<T>(this IBackgroundJobClient client, Expression<Func<T, Task>> methodCall) =>
        Create(client, Parse(methodCall, typeof(T), null), new EnqueuedState(null));

    public static string Enqueue<T>(this IBackgroundJobClient client, string queue, Expression<Action<T>> methodCall) =>
        Create(client, Parse(methodCall, typeof(T), queue), new EnqueuedState(queue));

    public static string Enqueue<T>(this IBackgroundJobClient client, string queue, Expression<Func<T, Task>> methodCall) =>
        Create(client, Parse(methodCall, typeof(T), queue), new EnqueuedState(queue));

    public static string Enqueue(this IBackgroundJobClient client, Expression<Action> methodCall) =>
        Create(client, Parse(methodCall, null, null), new EnqueuedState(null));

    public static string Enqueue(this IBackgroundJobClient client, Expression<Func<Task>> methodCall) =>
        Create(client, Parse(methodCall, null, null), new EnqueuedState(null));

    public static string Enqueue(this IBackgroundJobClient client, string queue, Expression<Action> methodCall) =>
        Create(client, Parse(methodCall, null, queue), new EnqueuedState(queue));

    public static string Enqueue(this IBackgroundJobClient client, string queue, Expression<Func<Task>> methodCall) =>
        Create(client, Parse(methodCall, null, queue), new EnqueuedState(queue));

    public static Task<string> EnqueueAsync<T>(this IBackgroundJobClient client, Expression<Action<T>> methodCall, CancellationToken cancellationToken = default) =>
        client.EnqueueAsync(null, methodCall, cancellationToken);

    public static Task<string> EnqueueAsync<T>(this IBackgroundJobClient client, Expression<Func<T, Task>> methodCall, CancellationToken cancellationToken = default) =>
        client.EnqueueAsync(null, methodCall, cancellationToken);

    public static Task<string> EnqueueAsync<T>(this IBackgroundJobClient client, string? queue, Expression<Action<T>> methodCall, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, typeof(T), queue), new EnqueuedState(queue), cancellationToken);

    public static Task<string> EnqueueAsync<T>(this IBackgroundJobClient client, string? queue, Expression<Func<T, Task>> methodCall, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, typeof(T), queue), new EnqueuedState(queue), cancellationToken);

    public static Task<string> EnqueueAsync(this IBackgroundJobClient client, Expression<Action> methodCall, CancellationToken cancellationToken = default) =>
        client.EnqueueAsync(null, methodCall, cancellationToken);

    public static Task<string> EnqueueAsync(this IBackgroundJobClient client, Expression<Func<Task>> methodCall, CancellationToken cancellationToken = default) =>
        client.EnqueueAsync(null, methodCall, cancellationToken);

    public static Task<string> EnqueueAsync(this IBackgroundJobClient client, string? queue, Expression<Action> methodCall, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, null, queue), new EnqueuedState(queue), cancellationToken);

    public static Task<string> EnqueueAsync(this IBackgroundJobClient client, string? queue, Expression<Func<Task>> methodCall, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, null, queue), new EnqueuedState(queue), cancellationToken);

    // Bulk --------------------------------------------------------------------------------------

    /// <summary>Enqueues many calls in as few round trips as the storage allows; ids in the order given.</summary>
    public static IReadOnlyList<string> EnqueueMany<T>(this IBackgroundJobClient client, IEnumerable<Expression<Action<T>>> methodCalls) =>
        Wait(client.EnqueueManyAsync(methodCalls, CancellationToken.None));

    public static IReadOnlyList<string> EnqueueMany<T>(this IBackgroundJobClient client, IEnumerable<Expression<Func<T, Task>>> methodCalls) =>
        Wait(client.EnqueueManyAsync(methodCalls, CancellationToken.None));

    public static Task<IReadOnlyList<string>> EnqueueManyAsync<T>(this IBackgroundJobClient client, IEnumerable<Expression<Action<T>>> methodCalls, CancellationToken cancellationToken = default) =>
        client.CreateManyAsync(Bulk(methodCalls, typeof(T)), cancellationToken);

    public static Task<IReadOnlyList<string>> EnqueueManyAsync<T>(this IBackgroundJobClient client, IEnumerable<Expression<Func<T, Task>>> methodCalls, CancellationToken cancellationToken = default) =>
        client.CreateManyAsync(Bulk(methodCalls, typeof(T)), cancellationToken);

    // Schedule ----------------------------------------------------------------------------------

    public static string Schedule<T>(this IBackgroundJobClient client, Expression<Action<T>> methodCall, TimeSpan delay) =>
        Create(client, Parse(methodCall, typeof(T), null), new ScheduledState(After(delay)));

    public static string Schedule<T>(this IBackgroundJobClient client, Expression<Func<T, Task>> methodCall, TimeSpan delay) =>
        Create(client, Parse(methodCall, typeof(T), null), new ScheduledState(After(delay)));

    public static string Schedule<T>(this IBackgroundJobClient client, Expression<Action<T>> methodCall, DateTimeOffset enqueueAt) =>
        Create(client, Parse(methodCall, typeof(T), null), new ScheduledState(enqueueAt));

    public static string Schedule<T>(this IBackgroundJobClient client, Expression<Func<T, Task>> methodCall, DateTimeOffset enqueueAt) =>
        Create(client, Parse(methodCall, typeof(T), null), new ScheduledState(enqueueAt));

    public static string Schedule(this IBackgroundJobClient client, Expression<Action> methodCall, TimeSpan delay) =>
        Create(client, Parse(methodCall, null, null), new ScheduledState(After(delay)));

    public static string Schedule(this IBackgroundJobClient client, Expression<Func<Task>> methodCall, TimeSpan delay) =>
        Create(client, Parse(methodCall, null, null), new ScheduledState(After(delay)));

    public static string Schedule(this IBackgroundJobClient client, Expression<Action> methodCall, DateTimeOffset enqueueAt) =>
        Create(client, Parse(methodCall, null, null), new ScheduledState(enqueueAt));

    public static string Schedule(this IBackgroundJobClient client, Expression<Func<Task>> methodCall, DateTimeOffset enqueueAt) =>
        Create(client, Parse(methodCall, null, null), new ScheduledState(enqueueAt));

    public static Task<string> ScheduleAsync<T>(this IBackgroundJobClient client, Expression<Action<T>> methodCall, TimeSpan delay, CancellationToken cancellationToken = default) =>
        client.ScheduleAsync(methodCall, After(delay), cancellationToken);

    public static Task<string> ScheduleAsync<T>(this IBackgroundJobClient client, Expression<Func<T, Task>> methodCall, TimeSpan delay, CancellationToken cancellationToken = default) =>
        client.ScheduleAsync(methodCall, After(delay), cancellationToken);

    public static Task<string> ScheduleAsync<T>(this IBackgroundJobClient client, Expression<Action<T>> methodCall, DateTimeOffset enqueueAt, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, typeof(T), null), new ScheduledState(enqueueAt), cancellationToken);

    public static Task<string> ScheduleAsync<T>(this IBackgroundJobClient client, Expression<Func<T, Task>> methodCall, DateTimeOffset enqueueAt, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, typeof(T), null), new ScheduledState(enqueueAt), cancellationToken);

    public static Task<string> ScheduleAsync(this IBackgroundJobClient client, Expression<Action> methodCall, TimeSpan delay, CancellationToken cancellationToken = default) =>
        client.ScheduleAsync(methodCall, After(delay), cancellationToken);

    public static Task<string> ScheduleAsync(this IBackgroundJobClient client, Expression<Func<Task>> methodCall, TimeSpan delay, CancellationToken cancellationToken = default) =>
        client.ScheduleAsync(methodCall, After(delay), cancellationToken);

    public static Task<string> ScheduleAsync(this IBackgroundJobClient client, Expression<Action> methodCall, DateTimeOffset enqueueAt, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, null, null), new ScheduledState(enqueueAt), cancellationToken);

    public static Task<string> ScheduleAsync(this IBackgroundJobClient client, Expression<Func<Task>> methodCall, DateTimeOffset enqueueAt, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, null, null), new ScheduledState(enqueueAt), cancellationToken);

    // Continuations -----------------------------------------------------------------------------

    public static string ContinueJobWith<T>(this IBackgroundJobClient client, string parentId, Expression<Action<T>> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState) =>
        Create(client, Parse(methodCall, typeof(T), null), new AwaitingState(parentId, options));

    public static string ContinueJobWith<T>(this IBackgroundJobClient client, string parentId, Expression<Func<T, Task>> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState) =>
        Create(client, Parse(methodCall, typeof(T), null), new AwaitingState(parentId, options));

    public static string ContinueJobWith(this IBackgroundJobClient client, string parentId, Expression<Action> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState) =>
        Create(client, Parse(methodCall, null, null), new AwaitingState(parentId, options));

    public static string ContinueJobWith(this IBackgroundJobClient client, string parentId, Expression<Func<Task>> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState) =>
        Create(client, Parse(methodCall, null, null), new AwaitingState(parentId, options));

    public static Task<string> ContinueJobWithAsync<T>(this IBackgroundJobClient client, string parentId, Expression<Action<T>> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, typeof(T), null), new AwaitingState(parentId, options), cancellationToken);

    public static Task<string> ContinueJobWithAsync<T>(this IBackgroundJobClient client, string parentId, Expression<Func<T, Task>> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, typeof(T), null), new AwaitingState(parentId, options), cancellationToken);

    public static Task<string> ContinueJobWithAsync(this IBackgroundJobClient client, string parentId, Expression<Action> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, null, null), new AwaitingState(parentId, options), cancellationToken);

    public static Task<string> ContinueJobWithAsync(this IBackgroundJobClient client, string parentId, Expression<Func<Task>> methodCall, JobContinuationOptions options = JobContinuationOptions.OnlyOnSucceededState, CancellationToken cancellationToken = default) =>
        client.CreateAsync(Parse(methodCall, null, null), new AwaitingState(parentId, options), cancellationToken);

    // Delete and requeue ------------------------------------------------------------------------

    /// <summary>Moves the job to Deleted from whatever state it is in (a running job's token is canceled); false when it does not exist or is already deleted.</summary>
    public static bool Delete(this IBackgroundJobClient client, string jobId) => Wait(client.DeleteAsync(jobId));

    public static async Task<bool> DeleteAsync(this IBackgroundJobClient client, string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.ChangeStateAsync(jobId, new DeletedState("Deleted by a client"), null, cancellationToken);
    }

    /// <summary>Puts the job back in its queue (a failed job is retried); false when it does not exist.</summary>
    public static bool Requeue(this IBackgroundJobClient client, string jobId) => Wait(client.RequeueAsync(jobId));

    public static async Task<bool> RequeueAsync(this IBackgroundJobClient client, string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.ChangeStateAsync(jobId, new EnqueuedState(reason: "Requeued by a client"), null, cancellationToken);
    }

    private static Job Parse(LambdaExpression methodCall, Type? type, string? queue)
    {
        ArgumentNullException.ThrowIfNull(methodCall);
        return JobExpression.Parse(methodCall, type, queue);
    }

    private static (Job, IState)[] Bulk(IEnumerable<LambdaExpression> methodCalls, Type type)
    {
        ArgumentNullException.ThrowIfNull(methodCalls);
        var enqueued = new EnqueuedState();
        return methodCalls.Select(call => (JobExpression.Parse(call, type), (IState)enqueued)).ToArray();
    }

    private static DateTimeOffset After(TimeSpan delay) => TimeProvider.System.GetUtcNow().Add(delay);

    /// <summary>A synchronous creation: on the calling thread when the client and its storage can, else blocking on the asynchronous one.</summary>
    private static string Create(IBackgroundJobClient client, Job job, IState state)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client is BackgroundJobClient own ? own.Create(job, state) : Wait(client.CreateAsync(job, state));
    }

    private static TResult Wait<TResult>(Task<TResult> task) => task.GetAwaiter().GetResult();
}
