using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>
/// Deletes the application's sessions whose expiry has passed (hourly by default). Works in batches of
/// <see cref="CleanupExpiredSessionsOptions.BatchSize"/> rows, each its own short statement, so a large
/// backlog never holds one long transaction. Safe to run twice at once: each batch locks the rows it takes
/// with <c>SKIP LOCKED</c>, so concurrent runs split the work instead of waiting on or repeating each other.
/// </summary>
[RecurringTask(Id, "0 * * * *")]
public sealed class CleanupExpiredSessionsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-expired-sessions";

    private readonly CleanupExpiredSessionsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CleanupExpiredSessionsTask> _logger;

    public CleanupExpiredSessionsTask(
        IOptions<CleanupExpiredSessionsOptions> options,
        TimeProvider timeProvider,
        ILogger<CleanupExpiredSessionsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deletes every session that expired before now; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or column does not exist.</exception>
    public async Task<CleanupExpiredSessionsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var expiredBefore = _timeProvider.GetUtcNow();
        var deletion = new OlderRowsDeletion(_options.ConnectionString!, _options.TableName, _options.ExpiresAtColumn, expiredBefore, _options.BatchSize);
        var done = await deletion.RunAsync(
            (rows, total) => Log.BatchDeleted(_logger, rows, _options.TableName, total),
            ex => MissingTableOrColumn.Explain(
                ex,
                "clean up sessions",
                CleanupExpiredSessionsOptions.SectionName,
                (nameof(_options.TableName), _options.TableName),
                (nameof(_options.ExpiresAtColumn), _options.ExpiresAtColumn)),
            cancellationToken);

        Log.Finished(_logger, done.Rows, _options.TableName, expiredBefore);
        return new CleanupExpiredSessionsResult(done.Rows, done.Batches, expiredBefore);
    }
}
