using System.Linq.Expressions;
using Jobs.Common;
using Jobs.Filters;
using Jobs.States;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>
/// Sees jobs enter Failed after their last attempt (retried attempts enter Scheduled and are not seen)
/// and queues alert e-mails as <see cref="AlertEmailJob"/>s: the first failure of a task in its window
/// at once plus a digest at the window's end, and a "recovered" e-mail when the task succeeds again.
/// Queuing is one storage write after the state is stored; a failure to queue is logged, never thrown.
/// </summary>
internal sealed class AlertEmailFilter : IApplyStateFilter
{
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<AlertEmailOptions> _options;
    private readonly AlertWindowTracker _windows;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertEmailFilter> _logger;

    // The client needs the filter provider, which holds this filter: it is resolved when first used.
    public AlertEmailFilter(IServiceProvider services, IOptionsMonitor<AlertEmailOptions> options, AlertWindowTracker windows, TimeProvider time, ILogger<AlertEmailFilter> logger)
    {
        _services = services;
        _options = options;
        _windows = windows;
        _time = time;
        _logger = logger;
    }

    public async Task OnStateAppliedAsync(ApplyStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = _options.CurrentValue;
        if (!options.Enabled || context.NewState is not (FailedState or SucceededState))
        {
            return;
        }

        if (IsAlertJob(context.Invocation))
        {
            if (context.NewState is FailedState)
            {
                AlertsLog.AlertJobFailed(_logger, context.JobId);
            }

            return;
        }

        try
        {
            if (context.NewState is FailedState failed)
            {
                await OnFailedAsync(context, failed, options);
            }
            else if (options.SendRecovered && _windows.TryMarkRecovered(context.Invocation.DisplayName))
            {
                var task = context.Invocation.DisplayName;
                var jobId = context.JobId;
                var now = _time.GetUtcNow();
                await EnqueueAsync(options, j => j.SendRecoveredAsync(task, jobId, now, CancellationToken.None), null);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AlertsLog.AlertNotQueued(_logger, ex, context.JobId, context.NewState.Name);
        }
    }

    public Task OnStateUnappliedAsync(ApplyStateContext context) => Task.CompletedTask;

    private async Task OnFailedAsync(ApplyStateContext context, FailedState failed, AlertEmailOptions options)
    {
        var task = context.Invocation.DisplayName;
        var now = _time.GetUtcNow();
        if (!_windows.TryOpenWindow(task, now, options.Window, out var windowEnd))
        {
            AlertsLog.AlertSuppressed(_logger, context.JobId, task, windowEnd);
            return;
        }

        var stored = await context.Storage.GetJobAsync(context.JobId, CancellationToken.None);
        var alert = new FailureAlert(
            context.JobId,
            task,
            $"{TypeName(context)}.{context.Invocation.Method}({string.Join(", ", context.Invocation.ParameterTypes.Select(TypeNames.ShortName))})",
            stored?.RecurringJobId,
            stored?.Queue ?? EnqueuedState.DefaultQueue,
            context.Invocation.Arguments,
            context.RetryCount + 1,
            failed.ExceptionType,
            failed.ExceptionMessage,
            failed.ExceptionDetails,
            failed.ServerId ?? stored?.ServerId,
            now);
        var alertJobId = await EnqueueAsync(options, j => j.SendFailureAsync(alert, CancellationToken.None), null);
        var firstJobId = context.JobId;
        await EnqueueAsync(options, j => j.SendDigestAsync(task, firstJobId, now, windowEnd, CancellationToken.None), windowEnd);
        AlertsLog.AlertQueued(_logger, context.JobId, task, alertJobId);
    }

    private Task<string> EnqueueAsync(AlertEmailOptions options, Expression<Func<AlertEmailJob, Task>> call, DateTimeOffset? at)
    {
        var client = _services.GetRequiredService<IBackgroundJobClient>();
        var job = JobExpression.Parse(call, typeof(AlertEmailJob), options.Queue);
        IState state = at is { } time ? new ScheduledState(time, "Alert digest at the end of the window") : new EnqueuedState(options.Queue);
        return client.CreateAsync(job, state, CancellationToken.None);
    }

    private static string TypeName(ApplyStateContext context) =>
        context.Job?.Type.FullName ?? context.Invocation.Type;

    private static bool IsAlertJob(InvocationData invocation) =>
        invocation.Type == AlertJobTypeName;

    private static readonly string AlertJobTypeName = TypeNames.Of(typeof(AlertEmailJob));
}
