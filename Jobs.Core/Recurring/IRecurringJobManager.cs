namespace Jobs;

/// <summary>
/// Creates, changes, triggers, pauses and removes recurring jobs. The familiar lambda forms
/// (<c>AddOrUpdate&lt;T&gt;("id", x =&gt; x.Run(), Cron.Daily())</c>) are extension methods in
/// <see cref="RecurringJobManagerExtensions"/>.
/// </summary>
public interface IRecurringJobManager
{
    /// <summary>
    /// Creates the recurring job or replaces its definition. A paused job stays paused; its next run is
    /// kept unless the cron expression or time zone changed. Throws <see cref="ArgumentException"/>
    /// for an invalid id, cron expression, time zone or queue.
    /// </summary>
    void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions? options = null);

    /// <inheritdoc cref="AddOrUpdate"/>
    Task AddOrUpdateAsync(string recurringJobId, Job job, string cronExpression, RecurringJobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes only the schedule of an existing recurring job (the dashboard's "edit schedule"): its next run
    /// becomes the first occurrence of the new schedule after now; the job, queue, paused flag and last run stay.
    /// <paramref name="timeZoneId"/> null keeps the current zone. Returns false when there is no such recurring job;
    /// throws <see cref="ArgumentException"/> for an invalid cron expression or time zone.
    /// </summary>
    bool Reschedule(string recurringJobId, string cronExpression, string? timeZoneId = null);

    /// <inheritdoc cref="Reschedule"/>
    Task<bool> RescheduleAsync(string recurringJobId, string cronExpression, string? timeZoneId = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the recurring job (its past runs stay); returns false when it did not exist.</summary>
    bool RemoveIfExists(string recurringJobId);

    /// <inheritdoc cref="RemoveIfExists"/>
    Task<bool> RemoveIfExistsAsync(string recurringJobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues a run now without changing the schedule (also for a paused job); returns its job id, or null when there
    /// is no such recurring job. Throws <see cref="JobCreationCanceledException"/> when a client filter canceled the run.
    /// </summary>
    string? Trigger(string recurringJobId);

    /// <inheritdoc cref="Trigger"/>
    Task<string?> TriggerAsync(string recurringJobId, CancellationToken cancellationToken = default);

    /// <summary>Stops scheduling runs until resumed; returns false when there is no such recurring job.</summary>
    bool Pause(string recurringJobId);

    /// <inheritdoc cref="Pause"/>
    Task<bool> PauseAsync(string recurringJobId, CancellationToken cancellationToken = default);

    /// <summary>Schedules again from the next occurrence after now (the paused time is not caught up); returns false when there is no such recurring job.</summary>
    bool Resume(string recurringJobId);

    /// <inheritdoc cref="Resume"/>
    Task<bool> ResumeAsync(string recurringJobId, CancellationToken cancellationToken = default);
}
