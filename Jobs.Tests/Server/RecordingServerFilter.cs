using Jobs.Filters;

namespace Jobs.Tests.Server;

internal sealed class RecordingServerFilter(ServerProbe probe) : IServerFilter
{
    public bool HandleExceptions { get; init; }

    public Task OnPerformingAsync(PerformingContext context)
    {
        probe.Events.Enqueue("performing");
        return Task.CompletedTask;
    }

    public Task OnPerformedAsync(PerformedContext context)
    {
        probe.Events.Enqueue("performed");
        if (HandleExceptions && context.Exception is not null)
        {
            context.ExceptionHandled = true;
        }

        return Task.CompletedTask;
    }
}
