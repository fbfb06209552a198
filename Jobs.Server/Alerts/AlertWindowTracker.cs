namespace Jobs.Server.Alerts;

/// <summary>
/// Which tasks have an open alert window, and which have failed since they last succeeded. Kept in
/// memory: the failures themselves are in the job storage (the digest reads them from there), so a
/// restart loses only the "window is open" mark, and the next failure after it sends one extra e-mail.
/// </summary>
internal sealed class AlertWindowTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _windowEnds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);

    /// <summary>Opens a window for the task unless one is open at <paramref name="now"/>; true when this failure opened it (and so is mailed at once).</summary>
    public bool TryOpenWindow(string task, DateTimeOffset now, TimeSpan window, out DateTimeOffset windowEnd)
    {
        lock (_lock)
        {
            if (_windowEnds.TryGetValue(task, out var end) && end > now)
            {
                windowEnd = end;
                return false;
            }

            windowEnd = now + window;
            _windowEnds[task] = windowEnd;
            _failing.Add(task);

            // Closed windows are of no further use; dropping them here keeps the map as small as the set of failing tasks.
            foreach (var closed in _windowEnds.Where(w => w.Value <= now).Select(w => w.Key).ToList())
            {
                _windowEnds.Remove(closed);
            }

            return true;
        }
    }

    /// <summary>True once after a task that was alerted about succeeds again.</summary>
    public bool TryMarkRecovered(string task)
    {
        lock (_lock)
        {
            return _failing.Remove(task);
        }
    }
}
