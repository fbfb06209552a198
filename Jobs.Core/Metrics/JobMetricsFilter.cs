using Jobs.Filters;
using Jobs.States;

namespace Jobs.Metrics;

/// <summary>
/// Feeds <see cref="JobsMetrics"/> from the filter pipeline: creations into a queue (client filter), how long each job
/// method ran (server filter), and the outcome stored when a job leaves Processing (apply-state filter), so the
/// counters follow what the storage recorded rather than what a worker attempted.
/// </summary>
internal sealed class JobMetricsFilter : IClientFilter, IServerFilter, IApplyStateFilter
{
    private readonly JobsMetrics _metrics;

    public JobMetricsFilter(JobsMetrics metrics)
    {
        _metrics = metrics;
    }

    public Task OnCreatingAsync(CreatingContext context) => Task.CompletedTask;

    public Task OnCreatedAsync(CreatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Canceled && context.JobId is not null && context.InitialState is EnqueuedState enqueued)
        {
            _metrics.JobEnqueued(enqueued.Queue ?? BackgroundJobClient.ResolveQueue(context.Job));
        }

        return Task.CompletedTask;
    }

    public Task OnPerformingAsync(PerformingContext context) => Task.CompletedTask;

    public Task OnPerformedAsync(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Canceled)
        {
            return Task.CompletedTask; // a filter skipped the method: nothing ran
        }

        var outcome = context.Exception is null || context.ExceptionHandled
            ? "succeeded"
            : context.CancellationToken.IsCancellationRequested ? "canceled" : "failed";
        _metrics.JobPerformed(context.FetchedJob.Queue, outcome, context.Duration);
        return Task.CompletedTask;
    }

    public Task OnStateAppliedAsync(ApplyStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.OldStateName != ProcessingState.StateName)
        {
            return Task.CompletedTask;
        }

        switch (context.NewState.Name)
        {
            case SucceededState.StateName:
                _metrics.JobSucceeded();
                break;
            case FailedState.StateName:
                _metrics.JobFailed(retryScheduled: false);
                break;
            case ScheduledState.StateName:
                // Only an elect-state filter (automatic retry) turns a performance's outcome into Scheduled.
                _metrics.JobFailed(retryScheduled: true);
                break;
        }

        return Task.CompletedTask;
    }

    public Task OnStateUnappliedAsync(ApplyStateContext context) => Task.CompletedTask;
}
