using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>
/// One LISTEN connection per storage, started on the first wait, reconnecting by itself. A notification
/// (payload: the queue) wakes the waiters of that queue. Waiters also return on their timeout, so a missed
/// notification only delays a job until the next poll.
/// </summary>
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

    public async Task WaitAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken)
    {
        EnsureStarted();
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            timeout = TimeSpan.Zero;
        }

        var waiter = new Waiter(queues);
        lock (_gate)
        {
            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Signal.Task.WaitAsync(timeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The timeout is an answer: the caller polls.
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
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

                // Jobs may have been enqueued while no one listened: let every waiter look.
                Wake(null);
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
        public HashSet<string> Queues { get; } = new(queues, StringComparer.Ordinal);

        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
