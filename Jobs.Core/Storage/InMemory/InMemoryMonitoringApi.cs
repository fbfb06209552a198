namespace Jobs.Storage.InMemory;

/// <summary>The dashboard's read side over an <see cref="InMemoryStore"/>; each call is one consistent snapshot.</summary>
internal sealed class InMemoryMonitoringApi : IMonitoringApi
{
    private readonly InMemoryStore _store;

    public InMemoryMonitoringApi(InMemoryStore store)
    {
        _store = store;
    }

    public Task<JobStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        Read(cancellationToken, s => s.Statistics());

    public Task<IReadOnlyList<JobSummary>> GetJobsAsync(string stateName, int skip, int take, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.JobsInState(stateName, skip, take));

    public Task<IReadOnlyList<JobSummary>> GetFailedJobsAsync(FailedJobFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.FailedJobs(filter, null, skip, take));
    }

    public Task<LimitedCount> CountFailedJobsAsync(FailedJobFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read(cancellationToken, s => LimitedCount.Of(s.CountFailedJobs(filter, limit + 1L), limit));
    }

    public Task<IReadOnlyList<JobSummary>> GetFailedJobsAfterAsync(FailedJobFilter filter, FailedJobCursor? after, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.FailedJobs(filter, after, 0, take));
    }

    public Task<IReadOnlyList<JobSummary>> GetRetriesAsync(int skip, int take, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.Retries(skip, take));

    public Task<IReadOnlyList<JobSummary>> GetEnqueuedJobsAsync(string queue, int skip, int take, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.Enqueued(queue, skip, take));

    public Task<JobDetails?> GetJobDetailsAsync(string jobId, CancellationToken cancellationToken) =>
        Read(cancellationToken, s => s.Details(jobId));

    public Task<IReadOnlyList<JobLogLine>> GetJobLogAsync(string jobId, long afterSequence, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return Read<IReadOnlyList<JobLogLine>>(cancellationToken, s => s.ReadLog(jobId, afterSequence, take));
    }

    public Task<IReadOnlyList<QueueSummary>> GetQueuesAsync(int firstJobsPerQueue, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<QueueSummary>>(cancellationToken, s => s.Queues(firstJobsPerQueue));

    public Task<IReadOnlyList<ServerRecord>> GetServersAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ServerRecord>>(cancellationToken, s => s.Servers());

    public Task<IReadOnlyList<RecurringJobRecord>> GetRecurringJobsAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<RecurringJobRecord>>(cancellationToken, s => s.RecurringJobs());

    public Task<IReadOnlyList<JobSummary>> GetRecurringJobRunsAsync(string recurringJobId, int take, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.RecurringRuns(recurringJobId, take));

    public Task<IReadOnlyList<TimelinePoint>> GetHourlyTimelineAsync(DateTimeOffset until, int hours, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<TimelinePoint>>(cancellationToken, s => s.Timeline(until, hours, hourly: true));

    public Task<IReadOnlyList<TimelinePoint>> GetDailyTimelineAsync(DateTimeOffset until, int days, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<TimelinePoint>>(cancellationToken, s => s.Timeline(until, days, hourly: false));

    public Task<IReadOnlyList<TaskStatistics>> GetTaskStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<TaskStatistics>>(cancellationToken, s => s.TaskStatistics(from, to));

    public Task<IReadOnlyList<JobSummary>> SearchJobsAsync(string text, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read<IReadOnlyList<JobSummary>>(cancellationToken, s => s.Search(text, take));
    }

    private Task<T> Read<T>(CancellationToken cancellationToken, Func<InMemoryStore, T> read)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_store.Gate)
        {
            return Task.FromResult(read(_store));
        }
    }
}
