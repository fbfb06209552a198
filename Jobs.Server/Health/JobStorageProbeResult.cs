namespace Jobs.Server.Health;

/// <summary>What one look at the job storage found.</summary>
/// <param name="IsReachable">The storage answered.</param>
/// <param name="IsReady">It answered and its schema holds every migration this server needs.</param>
/// <param name="Description">For a reachable storage its state; otherwise why it could not be reached ("Failed to connect to 127.0.0.1:5432 (Connection refused).").</param>
/// <param name="At">When the look was taken.</param>
/// <param name="Data">Details for the health report (schema and versions), when the storage answered.</param>
/// <param name="Exception">The failure, when there was one.</param>
internal sealed record JobStorageProbeResult(
    bool IsReachable,
    bool IsReady,
    string Description,
    DateTimeOffset At,
    IReadOnlyDictionary<string, object>? Data = null,
    Exception? Exception = null);
