using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>
/// Deletes the application's error log rows older than <see cref="CleanupErrorLogsOptions.RetentionDays"/>
/// (Sundays at 04:00 by default), in batches of <see cref="CleanupErrorLogsOptions.BatchSize"/> rows, each its
/// own short statement. Safe to run twice at once: each batch locks the rows it takes with <c>SKIP LOCKED</c>.
/// </summary>
[RecurringTask(Id, "0 4 * * 0")]
public sealed class CleanupErrorLogsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-error-logs";

    private readonly CleanupErrorLogsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CleanupErrorLogsTask> _logger;

    public CleanupErrorLogsTask(IOptions<CleanupErrorLogsOptions> options, TimeProvider timeProvider, ILogger<CleanupErrorLogsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deletes every error log row older than the retention; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or column does not exist.</exception>
    public async Task<CleanupErrorLogsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var loggedBefore = _timeProvider.GetUtcNow().AddDays(-_options.RetentionDays);
        var deletion = new OlderRowsDeletion(_options.ConnectionString!, _options.TableName, _options.CreatedAtColumn, loggedBefore, _options.BatchSize);
        var done = await deletion.RunAsync(
            (rows, total) => Log.ErrorLogBatchDeleted(_logger, rows, _options.TableName, total),
            ex => MissingTableOrColumn.Explain(
                ex,
                "clean up error logs",
                CleanupErrorLogsOptions.SectionName,
                (nameof(_options.TableName), _options.TableName),
                (nameof(_options.CreatedAtColumn), _options.CreatedAtColumn)),
            cancellationToken);

        Log.ErrorLogsDeleted(_logger, done.Rows, _options.TableName, loggedBefore);
        return new CleanupErrorLogsResult(done.Rows, done.Batches, loggedBefore);
    }
}
