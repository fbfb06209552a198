using System.Diagnostics.Metrics;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Metrics;

/// <summary>
/// The instruments of the <c>Jobs</c> meter (<see cref="System.Diagnostics.Metrics"/>): counters the server's filters
/// feed as jobs finish, a histogram of job durations, and gauges of jobs per state, queue lengths and servers read
/// from <see cref="IMonitoringApi"/>. Registered by <c>AddJobsServer</c>; any <see cref="MeterListener"/> (an exporter,
/// <c>dotnet-counters</c>, OpenTelemetry) can collect them.
/// </summary>
/// <remarks>
/// The gauges come from one statistics snapshot that is kept for <see cref="StatisticsMaxAge"/>: collecting them
/// never queries the storage more often than that, and never runs more than one query at a time.
/// </remarks>
public sealed class JobsMetrics : IDisposable
{
    /// <summary>The meter's name, to enable it in a listener or exporter.</summary>
    public const string MeterName = "Jobs";

    public const string ProcessedName = "jobs.processed";
    public const string SucceededName = "jobs.succeeded";
    public const string FailedName = "jobs.failed";
    public const string RetriedName = "jobs.retried";
    public const string EnqueuedName = "jobs.enqueued";
    public const string DurationName = "jobs.duration";
    public const string InStateName = "jobs.in_state";
    public const string QueueLengthName = "jobs.queue.length";
    public const string ServersName = "jobs.servers";

    /// <summary>How long one statistics snapshot serves the gauges. Default 5 s.</summary>
    public static readonly TimeSpan DefaultStatisticsMaxAge = TimeSpan.FromSeconds(5);

    /// <summary>Bucket bounds of <see cref="DurationName"/> in seconds: from 10 ms to an hour, as background jobs range.</summary>
    internal static readonly double[] DurationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _enqueued;
    private readonly Histogram<double> _duration;
    private readonly StatisticsSnapshotCache _statistics;

    /// <param name="storage">Where the gauges read their statistics.</param>
    /// <param name="meterFactory">Creates the meter (the host's, so listeners can tell hosts apart); null: a meter of its own.</param>
    /// <param name="timeProvider">The clock that ages the statistics snapshot; null: the system clock.</param>
    /// <param name="logger">Says when reading the statistics failed.</param>
    /// <param name="statisticsMaxAge">How long a statistics snapshot serves the gauges; null: <see cref="DefaultStatisticsMaxAge"/>.</param>
    public JobsMetrics(IJobStorage storage, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, ILogger<JobsMetrics>? logger = null, TimeSpan? statisticsMaxAge = null)
        : this(Monitoring(storage), meterFactory, timeProvider, logger, statisticsMaxAge)
    {
    }

    /// <param name="monitoring">Gives the read side on first use, so creating the metrics (as resolving the filters does) never creates the storage.</param>
    internal JobsMetrics(Func<IMonitoringApi> monitoring, IMeterFactory? meterFactory, TimeProvider? timeProvider, ILogger<JobsMetrics>? logger, TimeSpan? statisticsMaxAge)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        StatisticsMaxAge = statisticsMaxAge ?? DefaultStatisticsMaxAge;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StatisticsMaxAge, TimeSpan.Zero, nameof(statisticsMaxAge));
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _statistics = new StatisticsSnapshotCache(monitoring, StatisticsMaxAge, timeProvider ?? TimeProvider.System, logger);

        _processed = _meter.CreateCounter<long>(ProcessedName, "{job}", "Performances that ended with a stored outcome: succeeded, failed for good, or failed with a retry scheduled.");
        _succeeded = _meter.CreateCounter<long>(SucceededName, "{job}", "Performances that ended in Succeeded.");
        _failed = _meter.CreateCounter<long>(FailedName, "{job}", "Failed performances; final=true when the job entered Failed (no retry left), final=false when a retry was scheduled.");
        _retried = _meter.CreateCounter<long>(RetriedName, "{job}", "Failed performances after which a retry was scheduled.");
        _enqueued = _meter.CreateCounter<long>(EnqueuedName, "{job}", "Jobs created straight into a queue (by a client or a recurring schedule), by queue.");
        _duration = _meter.CreateHistogram(
            DurationName,
            "s",
            "How long job methods ran, by queue and outcome (succeeded, failed, or canceled by shutdown, timeout or deletion).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _meter.CreateObservableGauge(InStateName, ObserveStates, "{job}", "Jobs stored in each state.");
        _meter.CreateObservableGauge(QueueLengthName, ObserveQueues, "{job}", "Enqueued jobs waiting in each queue.");
        _meter.CreateObservableGauge(ServersName, ObserveServers, "{server}", "Job servers announced in the storage.");
    }

    /// <summary>The meter holding every instrument.</summary>
    public Meter Meter => _meter;

    /// <summary>How long one statistics snapshot serves the gauges.</summary>
    public TimeSpan StatisticsMaxAge { get; }

    /// <summary>
    /// Reads fresh statistics for the gauges when the snapshot is older than <see cref="StatisticsMaxAge"/>, waiting at most
    /// <paramref name="wait"/> (a query already running is joined, not repeated). An exporter calls this before collecting, so
    /// a scrape sees current values; without it the gauges refresh in the background and show the previous snapshot.
    /// </summary>
    public Task RefreshStatisticsAsync(TimeSpan wait, CancellationToken cancellationToken) => _statistics.RefreshAsync(wait, cancellationToken);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static Func<IMonitoringApi> Monitoring(IJobStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return () => storage.Monitoring;
    }

    internal void JobEnqueued(string queue) => _enqueued.Add(1, new KeyValuePair<string, object?>("queue", queue));

    internal void JobSucceeded()
    {
        _processed.Add(1);
        _succeeded.Add(1);
    }

    internal void JobFailed(bool retryScheduled)
    {
        _processed.Add(1);
        _failed.Add(1, new KeyValuePair<string, object?>("final", retryScheduled ? "false" : "true"));
        if (retryScheduled)
        {
            _retried.Add(1);
        }
    }

    internal void JobPerformed(string queue, string outcome, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("outcome", outcome));

    private IEnumerable<Measurement<long>> ObserveStates()
    {
        if (_statistics.Current is not { } snapshot)
        {
            return [];
        }

        var s = snapshot.Statistics;
        return
        [
            State("enqueued", s.Enqueued),
            State("scheduled", s.Scheduled),
            State("awaiting", s.Awaiting),
            State("processing", s.Processing),
            State("succeeded", s.Succeeded),
            State("failed", s.Failed),
            State("deleted", s.Deleted),
        ];

        static Measurement<long> State(string state, long count) => new(count, new KeyValuePair<string, object?>("state", state));
    }

    private IEnumerable<Measurement<long>> ObserveQueues() =>
        _statistics.Current is { } snapshot
            ? snapshot.Queues.Select(q => new Measurement<long>(q.Length, new KeyValuePair<string, object?>("queue", q.Name)))
            : [];

    private IEnumerable<Measurement<long>> ObserveServers() =>
        _statistics.Current is { } snapshot ? [new Measurement<long>(snapshot.Statistics.Servers)] : [];
}
