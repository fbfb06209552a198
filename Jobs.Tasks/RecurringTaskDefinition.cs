using System.Reflection;

namespace Jobs.Tasks;

/// <summary>
/// A recurring task as the server should register it: the defaults of its <see cref="RecurringTaskAttribute"/>
/// with the configuration overrides of <c>Tasks:&lt;id&gt;</c> applied. Produced by <see cref="RecurringTaskCatalog"/>.
/// </summary>
/// <param name="Id">Recurring job id.</param>
/// <param name="TaskType">The class resolved from dependency injection for each occurrence.</param>
/// <param name="Method">Its <c>RunAsync(CancellationToken)</c> method.</param>
/// <param name="Cron">5- or 6-field cron expression (already checked to parse).</param>
/// <param name="TimeZoneId">Time zone the cron is read in (already checked to exist on this machine).</param>
/// <param name="Queue">Queue the jobs go to (already checked to be a valid queue name).</param>
/// <param name="Enabled">False when configuration switched the task off; the server then removes or skips it.</param>
public sealed record RecurringTaskDefinition(
    string Id,
    Type TaskType,
    MethodInfo Method,
    string Cron,
    string TimeZoneId,
    string Queue,
    bool Enabled)
{
    /// <summary>Time zone used when neither the attribute nor configuration names one.</summary>
    public const string DefaultTimeZoneId = "UTC";

    /// <summary>Queue used when neither the attribute nor configuration names one.</summary>
    public const string DefaultQueue = "default";

    /// <summary>
    /// The job each occurrence performs: <c>RunAsync(CancellationToken.None)</c> on <see cref="TaskType"/>
    /// in <see cref="Queue"/>. The token is a placeholder; the worker passes the job's own token.
    /// </summary>
    public Job ToJob() => new(TaskType, Method, [CancellationToken.None], Queue);
}
