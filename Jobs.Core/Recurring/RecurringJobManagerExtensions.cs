using System.Linq.Expressions;
using Jobs.Common;

namespace Jobs;

/// <summary>
/// The familiar lambda forms: <c>manager.AddOrUpdate&lt;ReportTask&gt;("nightly-report", t =&gt; t.Build(42), Cron.Daily(3))</c>
/// (T is resolved from the job's DI scope) and <c>manager.AddOrUpdate("cleanup", () =&gt; Cleanup.Run(), Cron.Hourly())</c>.
/// The lambda must be a single method call; its arguments are evaluated now and stored.
/// </summary>
public static class RecurringJobManagerExtensions
{
    public static void AddOrUpdate<T>(this IRecurringJobManager manager, string recurringJobId, Expression<Action<T>> methodCall, string cronExpression, RecurringJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate(recurringJobId, Parse(methodCall, typeof(T), options), cronExpression, options);
    }

    public static void AddOrUpdate<T>(this IRecurringJobManager manager, string recurringJobId, Expression<Func<T, Task>> methodCall, string cronExpression, RecurringJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate(recurringJobId, Parse(methodCall, typeof(T), options), cronExpression, options);
    }

    public static void AddOrUpdate(this IRecurringJobManager manager, string recurringJobId, Expression<Action> methodCall, string cronExpression, RecurringJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate(recurringJobId, Parse(methodCall, null, options), cronExpression, options);
    }

    public static void AddOrUpdate(this IRecurringJobManager manager, string recurringJobId, Expression<Func<Task>> methodCall, string cronExpression, RecurringJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate(recurringJobId, Parse(methodCall, null, options), cronExpression, options);
    }

    public static Task AddOrUpdateAsync<T>(this IRecurringJobManager manager, string recurringJobId, Expression<Action<T>> methodCall, string cronExpression, RecurringJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager.AddOrUpdateAsync(recurringJobId, Parse(methodCall, typeof(T), options), cronExpression, options, cancellationToken);
    }

    public static Task AddOrUpdateAsync<T>(this IRecurringJobManager manager, string recurringJobId, Expression<Func<T, Task>> methodCall, string cronExpression, RecurringJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager.AddOrUpdateAsync(recurringJobId, Parse(methodCall, typeof(T), options), cronExpression, options, cancellationToken);
    }

    public static Task AddOrUpdateAsync(this IRecurringJobManager manager, string recurringJobId, Expression<Action> methodCall, string cronExpression, RecurringJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager.AddOrUpdateAsync(recurringJobId, Parse(methodCall, null, options), cronExpression, options, cancellationToken);
    }

    public static Task AddOrUpdateAsync(this IRecurringJobManager manager, string recurringJobId, Expression<Func<Task>> methodCall, string cronExpression, RecurringJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager.AddOrUpdateAsync(recurringJobId, Parse(methodCall, null, options), cronExpression, options, cancellationToken);
    }

    private static Job Parse(LambdaExpression methodCall, Type? type, RecurringJobOptions? options)
    {
        ArgumentNullException.ThrowIfNull(methodCall);
        return JobExpression.Parse(methodCall, type, options?.Queue);
    }
}
