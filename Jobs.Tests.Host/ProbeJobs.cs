namespace Jobs.TestHost;

/// <summary>
/// The jobs the end-to-end tests enqueue. Each leaves rows in the probe table (see <see cref="ProbeTable"/>)
/// naming the job and server it ran as, which is how a test sees from outside what the server did.
/// </summary>
public sealed class ProbeJobs
{
    private readonly ProbeSettings _settings;
    private readonly ProbeContext _context;

    public ProbeJobs(ProbeSettings settings, ProbeContext context)
    {
        _settings = settings;
        _context = context;
    }

    /// <summary>Records that it ran.</summary>
    public Task RecordAsync(string marker) =>
        ProbeTable.InsertAsync(_settings, _context, marker, "record", CancellationToken.None);

    /// <summary>Records its start, works for <paramref name="milliseconds"/> (honouring the token), records its end — or <c>canceled</c> when the token fired.</summary>
    public async Task WorkAsync(string marker, int milliseconds, CancellationToken cancellationToken)
    {
        await ProbeTable.InsertAsync(_settings, _context, marker, "start", cancellationToken);
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await ProbeTable.InsertAsync(_settings, _context, marker, "canceled", CancellationToken.None);
            throw;
        }

        await ProbeTable.InsertAsync(_settings, _context, marker, "end", cancellationToken);
    }

    /// <summary>Records its start, waits <paramref name="seconds"/> (honouring the token), records its end.</summary>
    public Task SlowAsync(string marker, int seconds, CancellationToken cancellationToken) =>
        WorkAsync(marker, checked(seconds * 1000), cancellationToken);

    /// <summary>
    /// Slow only the first time it starts: waits <paramref name="seconds"/> on its first run (honouring the token),
    /// finishes at once when a run of the same marker has started before — so a test can interrupt the first run
    /// (kill the server) and see the job complete elsewhere without waiting again.
    /// </summary>
    public async Task SlowFirstTimeAsync(string marker, int seconds, CancellationToken cancellationToken)
    {
        var earlier = await ProbeTable.CountAsync(_settings, marker, "start", cancellationToken);
        await ProbeTable.InsertAsync(_settings, _context, marker, "start", cancellationToken);
        if (earlier == 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        }

        await ProbeTable.InsertAsync(_settings, _context, marker, "end", cancellationToken);
    }

    /// <summary>
    /// Ignores cancellation on its first run: keeps going for <paramref name="seconds"/> whatever the server asks,
    /// as a badly written job does. A later run of the same marker finishes at once.
    /// </summary>
    public async Task StubbornFirstTimeAsync(string marker, int seconds)
    {
        var earlier = await ProbeTable.CountAsync(_settings, marker, "start", CancellationToken.None);
        await ProbeTable.InsertAsync(_settings, _context, marker, "start", CancellationToken.None);
        if (earlier == 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), CancellationToken.None);
        }

        await ProbeTable.InsertAsync(_settings, _context, marker, "end", CancellationToken.None);
    }

    /// <summary>Records the attempt, then always throws; retried twice, one second apart, then Failed.</summary>
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = new[] { 1 })]
    public async Task AlwaysFailAsync(string marker)
    {
        await ProbeTable.InsertAsync(_settings, _context, marker, "fail", CancellationToken.None);
        throw new InvalidOperationException($"Probe {marker} fails on purpose.");
    }
}
