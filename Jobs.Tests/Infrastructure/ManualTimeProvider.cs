namespace Jobs.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when a test says so. Timers created through it (Task.Delay,
/// Task.WaitAsync, CancellationTokenSource with a TimeProvider) fire when <see cref="Advance"/> passes their time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>A fixed, whole-second start so tests that print times are stable.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2030, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;

    public ManualTimeProvider()
        : this(DefaultStart)
    {
    }

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start.ToUniversalTime();
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward and fires, in time order, every timer that came due.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt is { } at && at <= target).MinBy(t => t.DueAt);
                if (due is null)
                {
                    _now = target;
                    return;
                }

                _now = due.DueAt!.Value > _now ? due.DueAt.Value : _now;
                due.DueAt = due.Period is { } period ? _now + period : null;
            }

            due.Fire();
        }
    }

    /// <summary>Sets the clock to a later time, firing due timers.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        var now = GetUtcNow();
        ArgumentOutOfRangeException.ThrowIfLessThan(value, now);
        Advance(value - now);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        var fireNow = false;
        lock (_gate)
        {
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                timer.DueAt = null;
            }
            else if (dueTime == TimeSpan.Zero)
            {
                timer.DueAt = timer.Period is { } p ? _now + p : null;
                fireNow = true;
            }
            else
            {
                timer.DueAt = _now + dueTime;
            }
        }

        if (fireNow)
        {
            // A zero due time fires at once, as a real timer does, but never on the caller's stack.
            ThreadPool.QueueUserWorkItem(_ => timer.Fire());
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
