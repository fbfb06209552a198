using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Jobs.Server.DashboardUsers;

/// <summary>
/// Counts failed sign-ins per name, in memory: after <see cref="DashboardUsersOptions.MaxFailedLogins"/> in a row the
/// name is refused for <see cref="DashboardUsersOptions.LockoutDuration"/>, even with the right password. Unknown
/// names are counted and locked exactly like known ones, so a lockout says nothing about which names exist.
/// A failure older than the lockout duration no longer counts. Each server process keeps its own counts.
/// </summary>
internal sealed class LoginThrottle
{
    /// <summary>Names tracked at most; beyond it, names that are neither locked nor recently failed are forgotten.</summary>
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<string, Attempts> _attempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _maxFailures;
    private readonly TimeSpan _lockout;
    private readonly TimeProvider _time;

    public LoginThrottle(IOptions<DashboardUsersOptions> options, TimeProvider time)
    {
        _maxFailures = options.Value.MaxFailedLogins;
        _lockout = options.Value.LockoutDuration;
        _time = time;
    }

    /// <summary>Whether <paramref name="name"/> is locked out now, and for how much longer.</summary>
    public bool IsLockedOut(string name, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_attempts.TryGetValue(name, out var attempts))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        lock (attempts)
        {
            remaining = attempts.LockedUntil - now;
            return remaining > TimeSpan.Zero;
        }
    }

    /// <summary>Counts a failure; returns true when this failure locked the name out.</summary>
    public bool RecordFailure(string name)
    {
        var now = _time.GetUtcNow();
        if (_attempts.Count >= MaxTracked)
        {
            Forget(now);
        }

        var attempts = _attempts.GetOrAdd(name, _ => new Attempts());
        lock (attempts)
        {
            if (now - attempts.LastFailure > _lockout)
            {
                attempts.Failures = 0;
            }

            attempts.Failures++;
            attempts.LastFailure = now;
            if (attempts.Failures < _maxFailures)
            {
                return false;
            }

            attempts.Failures = 0;
            attempts.LockedUntil = now + _lockout;
            return true;
        }
    }

    public void RecordSuccess(string name) => _attempts.TryRemove(name, out _);

    private void Forget(DateTimeOffset now)
    {
        foreach (var (name, attempts) in _attempts)
        {
            bool stale;
            lock (attempts)
            {
                stale = attempts.LockedUntil <= now && now - attempts.LastFailure > _lockout;
            }

            if (stale)
            {
                _attempts.TryRemove(name, out _);
            }
        }

        if (_attempts.Count >= MaxTracked)
        {
            // A flood of fresh names: keep the locked ones, drop the counts of the rest.
            foreach (var (name, attempts) in _attempts)
            {
                lock (attempts)
                {
                    if (attempts.LockedUntil <= now)
                    {
                        _attempts.TryRemove(name, out _);
                    }
                }
            }
        }
    }

    private sealed class Attempts
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
