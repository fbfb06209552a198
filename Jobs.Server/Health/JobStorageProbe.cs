using System.Net.Sockets;
using Jobs.PostgreSql;
using Jobs.Storage;
using Npgsql;

namespace Jobs.Server.Health;

/// <summary>
/// Looks at the job storage once, without the storage's retries, so a caller learns at once whether the database answers
/// (readiness, the dashboard's outage page). Remembers the last outcome and logs when the storage becomes unreachable or
/// reachable again: one line per change, however often it is asked.
/// </summary>
internal sealed class JobStorageProbe
{
    /// <summary>A database that has not answered by then counts as unreachable.</summary>
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly IJobStorage _storage;
    private readonly TimeProvider _time;
    private readonly ILogger<JobStorageProbe> _logger;
    private readonly SemaphoreSlim _probing = new(1, 1);
    private readonly Lock _lock = new();
    private JobStorageProbeResult? _last;

    public JobStorageProbe(IJobStorage storage, ILogger<JobStorageProbe> logger, TimeProvider? timeProvider = null)
    {
        _storage = storage;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
    }

    internal TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The last outcome (of a probe or of a reported failure); null before the first.</summary>
    public JobStorageProbeResult? Last
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    /// <summary>Whether <paramref name="exception"/>, thrown by a storage operation, means the database could not be reached.</summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Looks at the storage now.</summary>
    public async Task<JobStorageProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_storage is not PostgreSqlJobStorage postgreSql)
        {
            return Record(new JobStorageProbeResult(true, true, $"{_storage.GetType().Name} keeps the jobs in this process; it is always ready.", _time.GetUtcNow()));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var status = await postgreSql.GetSchemaStatusAsync(timeout.Token);
            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["schema"] = status.Schema,
                ["appliedVersion"] = status.AppliedVersion ?? 0,
                ["requiredVersion"] = status.RequiredVersion,
            };
            return Record(new JobStorageProbeResult(true, status.IsCurrent, status.Description, _time.GetUtcNow(), data));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Record(new JobStorageProbeResult(false, false, $"PostgreSQL did not answer within {Timeout.TotalSeconds:0.#} s.", _time.GetUtcNow(), Exception: ex));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException)
        {
            return Record(new JobStorageProbeResult(false, false, Describe(ex), _time.GetUtcNow(), Exception: ex));
        }
    }

    /// <summary>
    /// The last outcome when it is younger than <paramref name="maxAge"/>, else a new probe. Callers that arrive while a
    /// probe runs wait for it and share its outcome, so a burst of requests costs one query.
    /// </summary>
    public async Task<JobStorageProbeResult> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (Fresh(maxAge) is { } fresh)
        {
            return fresh;
        }

        await _probing.WaitAsync(cancellationToken);
        try
        {
            return Fresh(maxAge) ?? await ProbeAsync(cancellationToken);
        }
        finally
        {
            _probing.Release();
        }
    }

    /// <summary>Records that a storage operation failed because the database could not be reached.</summary>
    public JobStorageProbeResult ReportOutage(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Record(new JobStorageProbeResult(false, false, Describe(exception), _time.GetUtcNow(), Exception: exception));
    }

    /// <summary>The exception's message with its inner ones ("Failed to connect to 127.0.0.1:1 (Connection refused).").</summary>
    internal static string Describe(Exception exception)
    {
        var message = exception.Message.TrimEnd('.');
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += $" ({inner.Message.TrimEnd('.')})";
            }
        }

        return message + ".";
    }

    private JobStorageProbeResult? Fresh(TimeSpan maxAge)
    {
        var last = Last;
        return last is not null && _time.GetUtcNow() - last.At < maxAge ? last : null;
    }

    private JobStorageProbeResult Record(JobStorageProbeResult result)
    {
        bool? wasReachable;
        lock (_lock)
        {
            wasReachable = _last?.IsReachable;
            _last = result;
        }

        if (!result.IsReachable && wasReachable != false)
        {
            JobsHostLog.StorageUnreachable(_logger, result.Description);
        }
        else if (result.IsReachable && wasReachable == false)
        {
            JobsHostLog.StorageReachable(_logger);
        }

        return result;
    }
}
