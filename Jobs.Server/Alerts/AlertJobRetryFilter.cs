using Jobs.Filters;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>
/// The automatic retry of <see cref="AlertEmailJob"/>: an <see cref="AutomaticRetryAttribute"/> whose
/// attempts and delays come from <c>Alerts:Email</c> (an attribute on the class could not be configured).
/// </summary>
internal sealed class AlertJobRetryFilter : IElectStateFilter
{
    private readonly AutomaticRetryAttribute _retry;

    public AlertJobRetryFilter(IOptions<AlertEmailOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var delays = options.Value.RetryDelaysInSeconds.Count > 0 ? options.Value.RetryDelaysInSeconds.ToArray() : AlertEmailOptions.DefaultRetryDelaysInSeconds.ToArray();
        _retry = new AutomaticRetryAttribute
        {
            Attempts = options.Value.RetryAttempts,
            DelaysInSeconds = delays,
        };
    }

    public Task OnStateElectionAsync(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Job?.Type == typeof(AlertEmailJob) ? _retry.OnStateElectionAsync(context) : Task.CompletedTask;
    }
}
