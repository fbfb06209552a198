using Jobs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Metrics;

/// <summary>
/// The statistics behind the gauges, read at most once per <c>maxAge</c> and by one query at a time: every caller
/// that finds the snapshot stale while a read is running joins that read. After a failed read the gauges report
/// nothing (rather than numbers that may no longer be true) and the next read waits <c>maxAge</c>.
/// </summary>
internal sealed class StatisticsSnapshotCache
{
    /// <summary>A read still running after this is given up; the storage's own retries may take about a minute.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    private readonly Lazy<IMonitoringApi> _monitoring;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private StatisticsSnapshot? _current;
    private DateTimeOffset? _failedAt;
    private Task? _reading;

    public StatisticsSnapshotCache(Func<IMonitoringApi> monitoring, TimeSpan maxAge, TimeProvider time, ILogger? logger)
    {
        _monitoring = new Lazy<IMonitoringApi>(monitoring, LazyThreadSafetyMode.PublicationOnly);
        _maxAge = maxAge;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The latest snapshot, or null before the first read and after a failed one; starts a read in the background when stale.</summary>
    public StatisticsSnapshot? Current
    {
        get
        {
            StartReadIfStale();
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>How many reads were started; for tests.</summary>
    internal int ReadCount { get; private set; }

    /// <summary>Starts (or joins) a read when the snapshot is stale and waits for it at most <paramref name="wait"/>.</summary>
    public async Task RefreshAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var reading = StartReadIfStale();
        if (reading is null)
        {
            return;
        }

        try
        {
            await reading.WaitAsync(wait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The read goes on; this caller makes do with the snapshot it has.
        }
    }

    private Task? StartReadIfStale()
    {
        lock (_lock)
        {
            if (_reading is not null)
            {
                return _reading;
            }

            var now = _time.GetUtcNow();
            var last = _current?.ReadAt ?? _failedAt;
            if (last is { } at && now - at < _maxAge)
            {
                return null;
            }

            ReadCount++;
            _reading = ReadAsync();
            return _reading;
        }
    }

    private async Task ReadAsync()
    {
        // Off the caller's thread: a gauge callback must not wait for the storage.
        await Task.Yield();
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout, _time);
            var statistics = await _monitoring.Value.GetStatisticsAsync(timeout.Token);
            var queues = await _monitoring.Value.GetQueuesAsync(0, timeout.Token);
            Volatile.Write(ref _current, new StatisticsSnapshot(statistics, queues, _time.GetUtcNow()));
            _failedAt = null;
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _current, null);
            _failedAt = _time.GetUtcNow();
            MetricsLog.StatisticsReadFailed(_logger, ex);
        }
        finally
        {
            lock (_lock)
            {
                _reading = null;
            }
        }
    }
}
