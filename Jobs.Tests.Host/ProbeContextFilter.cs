using Jobs.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.TestHost;

/// <summary>Tells the probe jobs which job and server they run as, so the probe table can name both.</summary>
public sealed class ProbeContextFilter : IServerFilter
{
    public Task OnPerformingAsync(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var probe = context.Services?.GetService<ProbeContext>();
        if (probe is not null)
        {
            probe.JobId = context.JobId;
            probe.ServerId = context.ServerId;
        }

        return Task.CompletedTask;
    }

    public Task OnPerformedAsync(PerformedContext context) => Task.CompletedTask;
}
