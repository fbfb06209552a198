using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>
/// One LISTEN connection per storage, started on the first wait, reconnecting by itself. A notification
/// (payload: the queue) wakes the waiters of that queue. Waiters also return on their timeout, so a missed
/// notification only delays a job until the next poll.
/// </summary>
/// <remarks>
/// A waiter with a look (<c>alreadyAvailable</c>) looks only once LISTEN is active, so the look and the notifications
/// leave no gap between them and the waiter needs no wake-up when the listener connects. Waiters that may have
/// missed notifications (they looked, or registered, before the current connection listened) are woken on every
/// (re)connect, so they look again.
/// </remarks>
internal sealed class PostgreSqlNotifier : IAsyncDisposable
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly TimeSpan _reconnectDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Completed while a LISTEN is active; replaced by a pending one when the connection breaks. Guarded by <see cref="_gate"/>.</summary>
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many times LISTEN has been issued. Guarded by <see cref="_gate"/>.</summary>
    private long _generation;

    private int _disposed;

    public PostgreSqlNotifier(NpgsqlDataSource dataSource, string channel, TimeSpan reconnectDelay, TimeProvider timeProvider, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = channel;
        _reconnectDelay = reconnectDelay;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Raised (for tests and diagnostics) each time the listener has issued LISTEN on a fresh connection.</summary>
    public event Action? Listening;

    /// <summary>
    /// Waits for a notification on one of <paramref name="queues"/> or the timeout. <paramref name="alreadyAvailable"/>
    /// runs once the waiter is registered: when it answers true the wait returns at once. Registering first means a
    /// job committed after the look is announced to this waiter, so no enqueue falls between the two.
    /// </summary>
    public async Task WaitAsync(
        IReadOnlyList<string> queues,
        TimeSpan timeout,
        Func<CancellationToken, Task<bool>>? alreadyAvailable,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            timeout = TimeSpan.Zero;
        }

        var waiter = new Waiter(queues);
        Task listening;
        lock (_gate)
        {
            // A waiter that looks is woken by a (re)connect only once it has looked; until then it will look anyway.
            waiter.Generation = alreadyAvailable is null ? _generation : Waiter.NotLookedYet;
            _waiters.Add(waiter);
            listening = _listening.Task;
        }

        // Ends the look of a wait that is over (timed out), so it does not run later for no one.
        using var over = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await WaitForSignalAsync(waiter, listening, alreadyAvailable, over.Token).WaitAsync(timeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The timeout is an answer: the caller polls.
        }
        finally
        {
            await over.CancelAsync();
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }

        // A wake-up that raced with the caller's cancellation is not an answer the caller still wants.
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_gate)
        {
            _loop ??= Task.Run(() => ListenLoopAsync(_stopping.Token));
        }
    }

    /// <summary>Stops listening and wakes every waiter (a server shutting down with its storage stops waiting); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Signal.TrySetResult();
            }
        }

        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        _stopping.Dispose();
    }

    private async Task WaitForSignalAsync(Waiter waiter, Task listening, Func<CancellationToken, Task<bool>>? alreadyAvailable, CancellationToken cancellationToken)
    {
        if (alreadyAvailable is not null)
        {
            // Notifications must be flowing before the look, or a job committed in between would be missed.
            await Task.WhenAny(listening, waiter.Signal.Task).WaitAsync(cancellationToken);
            if (waiter.Signal.Task.IsCompleted)
            {
                return;
            }

            lock (_gate)
            {
                waiter.Generation = _generation;
            }

            if (await alreadyAvailable(cancellationToken))
            {
                return;
            }
        }

        await waiter.Signal.Task;
    }

    private async Task ListenLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => Wake(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                Log.ListenerConnected(_logger, _channel);

                // Jobs may have been enqueued while no one listened: let every waiter that looked before look again,
                // and let the waiters that have not looked yet look now.
                lock (_gate)
                {
                    var generation = ++_generation;
                    foreach (var waiter in _waiters)
                    {
                        if (waiter.Generation != Waiter.NotLookedYet && waiter.Generation < generation)
                        {
                            waiter.Signal.TrySetResult();
                        }
                    }

                    _listening.TrySetResult();
                }

                Listening?.Invoke();
                while (true)
                {
                    if (!await connection.WaitAsync(KeepAliveInterval, stopping))
                    {
                        // A silent, half-open connection is only noticed by using it.
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                // Whatever broke the connection, listening must resume: waiters only have their timeouts meanwhile.
                lock (_gate)
                {
                    if (_listening.Task.IsCompleted)
                    {
                        _listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }

                Log.ListenerDisconnected(_logger, ex, _reconnectDelay);
                try
                {
                    await Task.Delay(_reconnectDelay, _timeProvider, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Wake(string? queue)
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                if (queue is null || waiter.Queues.Contains(queue))
                {
                    waiter.Signal.TrySetResult();
                }
            }
        }
    }

    private sealed class Waiter(IReadOnlyList<string> queues)
    {
        public const long NotLookedYet = -1;

        /// <summary>The listener generation that was active when the waiter looked (or registered); guarded by the notifier's gate.</summary>
        public long Generation { get; set; }

        public HashSet<string> Queues { get; } = new(queues, StringComparer.Ordinal);

        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
