namespace Jobs.Server;

/// <summary>
/// A worker's slot: the job it performs now and that job's cancellation. One per worker, reused for
/// every job so the hot path allocates no token source.
/// </summary>
internal sealed class RunningJob : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private CancellationTokenSource _cts;
    private JobAbortReason _reason;
    private bool _timeoutArmed;

    public RunningJob(TimeProvider time)
    {
        _time = time;
        _cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>The id of the job being performed, or null when idle.</summary>
    public string? JobId { get; private set; }

    public CancellationToken Token { get; private set; }

    public JobAbortReason Reason
    {
        get
        {
            lock (_lock)
            {
                return _reason;
            }
        }
    }

    /// <summary>True when the job's timeout canceled its token (and nothing else did first).</summary>
    public bool TimedOut
    {
        get
        {
            lock (_lock)
            {
                return _timeoutArmed && _reason == JobAbortReason.None && _cts.IsCancellationRequested;
            }
        }
    }

    public void Begin(string jobId)
    {
        lock (_lock)
        {
            if (_cts.IsCancellationRequested || !_cts.TryReset())
            {
                _cts.Dispose();
                _cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            }

            _reason = JobAbortReason.None;
            _timeoutArmed = false;
            JobId = jobId;
            Token = _cts.Token;
        }
    }

    /// <summary>Cancels the token after <paramref name="timeout"/> (measured by the server's clock).</summary>
    public void StartTimeout(TimeSpan timeout)
    {
        lock (_lock)
        {
            _timeoutArmed = true;
            _cts.CancelAfter(timeout);
        }
    }

    /// <summary>Stops the timeout clock once the method has ended, so a late timer cannot fail a job that finished in time.</summary>
    public void StopTimeout()
    {
        lock (_lock)
        {
            if (_timeoutArmed && !_cts.IsCancellationRequested)
            {
                _cts.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Cancels the running job when it is <paramref name="jobId"/> (any job when null).</summary>
    public bool Abort(JobAbortReason reason, string? jobId = null)
    {
        lock (_lock)
        {
            if (JobId is null || (jobId is not null && !string.Equals(JobId, jobId, StringComparison.Ordinal)))
            {
                return false;
            }

            if (_reason == JobAbortReason.None && !(_timeoutArmed && _cts.IsCancellationRequested))
            {
                _reason = reason;
            }

            // Asynchronous, so callbacks the job registered cannot run inside the lock; the token reads as canceled at once.
            _ = _cts.CancelAsync();
            return true;
        }
    }

    public void End()
    {
        lock (_lock)
        {
            JobId = null;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            // A job abandoned on shutdown (it ignored its token) may still be using the source.
            if (JobId is null)
            {
                _cts.Dispose();
            }
        }
    }
}
