using System.Text.RegularExpressions;

namespace Jobs.PostgreSql;

/// <summary>Settings of the PostgreSQL storage (configuration section <c>Jobs:PostgreSql</c>).</summary>
public sealed partial class PostgreSqlStorageOptions
{
    private static readonly TimeSpan MaxTaskStatisticsRetention = TimeSpan.FromDays(36_500);

    /// <summary>The PostgreSQL schema that holds the tables; created when missing. Default <c>jobs</c>. Lower-case letters, digits and '_', at most 50.</summary>
    public string SchemaName { get; set; } = "jobs";

    /// <summary>Creates and migrates the schema on first use. Default true.</summary>
    public bool PrepareSchemaIfNecessary { get; set; } = true;

    /// <summary>How long Succeeded and Deleted jobs are kept before expiration removes them. Default 1 day. Failed jobs are kept until deleted.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the per-task daily figures of expired jobs are kept for the task statistics
    /// (<c>IMonitoringApi.GetTaskStatisticsAsync</c>, the weekly report). Default 400 days; at most 100 years.
    /// </summary>
    public TimeSpan TaskStatisticsRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often a busy distributed lock is tried again while waiting for it. Default 100 ms.</summary>
    public TimeSpan DistributedLockPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Retries of an operation after a transient failure (connection lost, server restarting). Default 12.</summary>
    public int TransientRetryAttempts { get; set; } = 12;

    /// <summary>The first retry delay; it doubles on each attempt up to <see cref="TransientRetryMaxDelay"/>. Default 200 ms.</summary>
    public TimeSpan TransientRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest retry delay. Default 10 s, so the defaults ride out about a minute of outage (a PostgreSQL restart).</summary>
    public TimeSpan TransientRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the notification listener waits before reconnecting after losing its connection. Default 1 s.</summary>
    public TimeSpan NotificationReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Statements Npgsql prepares automatically per connection (<c>Max Auto Prepare</c>). Default 64; 0 turns it off.</summary>
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>Counter deltas rolled up per maintenance pass (see <c>counter</c> in the schema). Default 50,000.</summary>
    public int CounterAggregationBatchSize { get; set; } = 50_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (SchemaName is null || !SchemaPattern().IsMatch(SchemaName))
        {
            throw new ArgumentException(
                $"SchemaName '{SchemaName}' is invalid: use 1 to 50 lower-case letters, digits or '_', starting with a letter or '_'.",
                nameof(SchemaName));
        }

        RequirePositive(JobRetention, nameof(JobRetention));
        RequirePositive(TaskStatisticsRetention, nameof(TaskStatisticsRetention));
        if (TaskStatisticsRetention > MaxTaskStatisticsRetention)
        {
            throw new ArgumentException(
                $"{nameof(TaskStatisticsRetention)} must be at most {MaxTaskStatisticsRetention.TotalDays:0} days (was {TaskStatisticsRetention}).",
                nameof(TaskStatisticsRetention));
        }

        RequirePositive(DistributedLockPollInterval, nameof(DistributedLockPollInterval));
        RequirePositive(TransientRetryBaseDelay, nameof(TransientRetryBaseDelay));
        RequirePositive(TransientRetryMaxDelay, nameof(TransientRetryMaxDelay));
        RequirePositive(NotificationReconnectDelay, nameof(NotificationReconnectDelay));
        if (TransientRetryAttempts < 0)
        {
            throw new ArgumentException($"{nameof(TransientRetryAttempts)} must not be negative.", nameof(TransientRetryAttempts));
        }

        if (MaxAutoPrepare < 0)
        {
            throw new ArgumentException($"{nameof(MaxAutoPrepare)} must not be negative.", nameof(MaxAutoPrepare));
        }

        if (CounterAggregationBatchSize <= 0)
        {
            throw new ArgumentException($"{nameof(CounterAggregationBatchSize)} must be positive.", nameof(CounterAggregationBatchSize));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive (was {value}).", name);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();
}
