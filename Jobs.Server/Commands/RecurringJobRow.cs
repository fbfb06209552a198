namespace Jobs.Server.Commands;

/// <summary>One line of <c>list</c>: a recurring job as stored, or a task of the task library that is not on the schedule yet.</summary>
/// <param name="Id">The recurring job id.</param>
/// <param name="Cron">Its cron expression.</param>
/// <param name="TimeZone">The time zone the cron is read in.</param>
/// <param name="Queue">The queue its jobs go to.</param>
/// <param name="NextRun">The next occurrence (UTC); null when paused or not registered.</param>
/// <param name="LastRun">When the last job was created; null when never.</param>
/// <param name="LastJobId">The last job's id.</param>
/// <param name="LastJobState">The last job's state now.</param>
/// <param name="Paused">Whether runs are stopped until resumed.</param>
/// <param name="Registered">False for a task of the task library that no server has put on the schedule yet.</param>
/// <param name="Task">The task class of the task library, or null for a recurring job from elsewhere.</param>
/// <param name="Enabled">For a task: whether configuration (<c>Tasks:&lt;id&gt;:Enabled</c>) leaves it on; null otherwise.</param>
internal sealed record RecurringJobRow(
    string Id,
    string Cron,
    string TimeZone,
    string Queue,
    DateTimeOffset? NextRun,
    DateTimeOffset? LastRun,
    string? LastJobId,
    string? LastJobState,
    bool Paused,
    bool Registered,
    string? Task,
    bool? Enabled);
