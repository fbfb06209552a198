using System.Collections.Concurrent;
using Jobs.Filters;
using Jobs.States;

namespace Jobs.Tests.Recurring;

/// <summary>A client filter that records what it saw and can cancel or reroute the job.</summary>
public sealed class RecordingClientFilter : IClientFilter
{
    public bool Cancel { get; init; }

    public string? RerouteTo { get; init; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public Task OnCreatingAsync(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Calls.Enqueue($"creating {context.Job}");
        context.Canceled = Cancel;
        if (RerouteTo is not null)
        {
            context.InitialState = new EnqueuedState(RerouteTo, context.InitialState.Reason);
        }

        return Task.CompletedTask;
    }

    public Task OnCreatedAsync(CreatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Calls.Enqueue(context.Canceled ? "canceled" : $"created {context.JobId}");
        return Task.CompletedTask;
    }
}
