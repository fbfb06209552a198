namespace Jobs.Tasks;

/// <summary>
/// Marks a class of the task library as a recurring task with its default schedule.
/// </summary>
/// <remarks>
/// <para>
/// The convention: the class has a public instance method <c>RunAsync(CancellationToken cancellationToken)</c>
/// returning <see cref="Task"/> or <see cref="Task{TResult}"/>. The server resolves the class from its
/// dependency injection container for every occurrence, calls <c>RunAsync</c> with a token that fires on
/// shutdown, timeout or deletion, and stores the result (when there is one) with the succeeded job, where
/// the dashboard shows it. Keep the result a small record.
/// </para>
/// <para>
/// Every default here can be overridden in configuration under <c>Tasks:&lt;id&gt;</c>
/// (<c>Cron</c>, <c>TimeZone</c>, <c>Queue</c>, <c>Enabled</c>); see <see cref="RecurringTaskCatalog"/>.
/// </para>
/// </remarks>
/// <param name="id">Stable id of the recurring job, e.g. <c>cleanup-expired-sessions</c>: letters, digits, '.', '_' or '-'.</param>
/// <param name="cron">Default schedule: a 5-field cron expression, or 6 fields with seconds first.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RecurringTaskAttribute(string id, string cron) : Attribute
{
    /// <summary>Stable id of the recurring job; also the configuration key under <c>Tasks:</c>.</summary>
    public string Id { get; } = id;

    /// <summary>Default cron expression.</summary>
    public string Cron { get; } = cron;

    /// <summary>Time zone id the cron is read in (IANA, e.g. <c>Europe/Berlin</c>). Default: <c>UTC</c>.</summary>
    public string TimeZone { get; init; } = RecurringTaskDefinition.DefaultTimeZoneId;

    /// <summary>Queue the task's jobs are enqueued to. Default: <c>default</c>.</summary>
    public string Queue { get; init; } = RecurringTaskDefinition.DefaultQueue;
}
