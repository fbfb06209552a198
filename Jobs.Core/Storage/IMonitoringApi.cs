namespace Jobs.Storage;

/// <summary>The read side the dashboard and the JSON API stand on. Every query is index-backed.</summary>
public interface IMonitoringApi
{
    /// <summary>Counts per state, plus servers, recurring jobs, queues and retries waiting.</summary>
    Task<JobStatistics> GetStatisticsAsync(CancellationToken cancellationToken);

    /// <summary>A page of jobs in a state, newest state change first.</summary>
    Task<IReadOnlyList<JobSummary>> GetJobsAsync(string stateName, int skip, int take, CancellationToken cancellationToken);

    /// <summary>A page of the failed jobs that match <paramref name="filter"/>, newest state change first.</summary>
    Task<IReadOnlyList<JobSummary>> GetFailedJobsAsync(FailedJobFilter filter, int skip, int take, CancellationToken cancellationToken);

    /// <summary>
    /// How many failed jobs match <paramref name="filter"/>, counted up to <paramref name="limit"/> (at least 1): when
    /// more match, the count says "more than <paramref name="limit"/>" (<see cref="LimitedCount.IsLowerBound"/>), so a
    /// filter that matches most of a large table costs no more than one that matches <paramref name="limit"/> jobs.
    /// </summary>
    Task<LimitedCount> CountFailedJobsAsync(FailedJobFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> failed jobs matching <paramref name="filter"/> that come after <paramref name="after"/>
    /// (null: from the newest), newest state change first: a keyset walk over every match that pages do not disturb.
    /// </summary>
    Task<IReadOnlyList<JobSummary>> GetFailedJobsAfterAsync(FailedJobFilter filter, FailedJobCursor? after, int take, CancellationToken cancellationToken);

    /// <summary>Scheduled jobs that are waiting for their next attempt after a failure, soonest first.</summary>
    Task<IReadOnlyList<JobSummary>> GetRetriesAsync(int skip, int take, CancellationToken cancellationToken);

    /// <summary>A page of the enqueued jobs of one queue, oldest (next to run) first.</summary>
    Task<IReadOnlyList<JobSummary>> GetEnqueuedJobsAsync(string queue, int skip, int take, CancellationToken cancellationToken);

    /// <summary>One job with arguments, full history (newest first), exception, result and continuations; null when it does not exist.</summary>
    Task<JobDetails?> GetJobDetailsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> lines of a job's log with a <see cref="JobLogLine.Sequence"/> greater than
    /// <paramref name="afterSequence"/>, oldest first (0 reads from the start; a live tail passes the last sequence it read).
    /// Empty when the job has no such lines or does not exist.
    /// </summary>
    Task<IReadOnlyList<JobLogLine>> GetJobLogAsync(string jobId, long afterSequence, int take, CancellationToken cancellationToken);

    /// <summary>Every queue that has enqueued jobs or is listened to by a server, with its length and first jobs.</summary>
    Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(int firstJobsPerQueue, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServerRecord>> GetServersAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<RecurringJobRecord>> GetRecurringJobsAsync(CancellationToken cancellationToken);

    /// <summary>The recent jobs of one recurring job, newest first.</summary>
    Task<IReadOnlyList<JobSummary>> GetRecurringJobRunsAsync(string recurringJobId, int take, CancellationToken cancellationToken);

    /// <summary>Succeeded and failed counts per hour for the <paramref name="hours"/> hours ending with the one holding <paramref name="until"/>, oldest first, empty hours included.</summary>
    Task<IReadOnlyList<TimelinePoint>> GetHourlyTimelineAsync(DateTimeOffset until, int hours, CancellationToken cancellationToken);

    /// <summary>Succeeded and failed counts per UTC day for the <paramref name="days"/> days ending with the one holding <paramref name="until"/>, oldest first, empty days included.</summary>
    Task<IReadOnlyList<TimelinePoint>> GetDailyTimelineAsync(DateTimeOffset until, int days, CancellationToken cancellationToken);

    /// <summary>
    /// Per task (job method and recurring job), the runs that finished — entered Succeeded or Failed — at or after
    /// <paramref name="from"/> and before <paramref name="to"/>, ordered by task then recurring job id. Runs of jobs
    /// that have expired count too: expiration keeps their figures per task and UTC day (for the storage's
    /// <c>TaskStatisticsRetention</c>, 400 days by default), and a range counts those of the days that start inside it.
    /// Every run counts exactly once, so ranges of whole UTC days are exact; runs of jobs still stored count by the
    /// moment they finished. The slowest job is named only while it is still stored.
    /// </summary>
    Task<IReadOnlyList<TaskStatistics>> GetTaskStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Finds jobs by id, by method or type name, or by text in the arguments; newest first.</summary>
    Task<IReadOnlyList<JobSummary>> SearchJobsAsync(string text, int take, CancellationToken cancellationToken);
}
