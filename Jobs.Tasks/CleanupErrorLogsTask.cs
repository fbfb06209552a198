using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>
/// Deletes the application's error log rows older than <see cref="CleanupErrorLogsOptions.RetentionDays"/>
/// (Sundays at 04:00 by default), in batches of <see cref="CleanupErrorLogsOptions.BatchSize"/> rows, each its
/// own short statement. Safe to run twice at once: each batch locks the rows it takes with <c>SKIP LOCKED</c>.
/// </summary>
[RecurringTask(Id, "0 4 * * 0")]
public sealed class CleanupErrorLogsTask : ConfiguredTask<CleanupErrorLogsOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-error-logs";

    public CleanupErrorLogsTask(IOptions<CleanupErrorLogsOptions> options, TimeProvider timeProvider, ILogger<CleanupErrorLogsTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Deletes every error log row older than the retention; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or column does not exist.</exception>
    public async Task<CleanupErrorLogsResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var loggedBefore = Clock.GetUtcNow().AddDays(-Options.RetentionDays);
        var deletion = new OlderRowsDeletion(Options.ConnectionString!, Options.TableName, Options.CreatedAtColumn, loggedBefore, Options.BatchSize);
        var done = await deletion.RunAsync(
            (rows, total) => Log.ErrorLogBatchDeleted(Logger, rows, Options.TableName, total),
            ex => MissingTableOrColumn.Explain(
                ex,
                "clean up error logs",
                CleanupErrorLogsOptions.SectionName,
                (nameof(Options.TableName), Options.TableName),
                (nameof(Options.CreatedAtColumn), Options.CreatedAtColumn)),
            cancellationToken);

        Log.ErrorLogsDeleted(Logger, done.Rows, Options.TableName, loggedBefore);
        return new CleanupErrorLogsResult(done.Rows, done.Batches, loggedBefore);
    }
}
