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
public sealed class CleanupExpiredSessionsTask : ConfiguredTask<CleanupExpiredSessionsOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-expired-sessions";

    public CleanupExpiredSessionsTask(
        IOptions<CleanupExpiredSessionsOptions> options,
        TimeProvider timeProvider,
        ILogger<CleanupExpiredSessionsTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Deletes every session that expired before now; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or column does not exist.</exception>
    public async Task<CleanupExpiredSessionsResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var expiredBefore = Clock.GetUtcNow();
        var deletion = new OlderRowsDeletion(Options.ConnectionString!, Options.TableName, Options.ExpiresAtColumn, expiredBefore, Options.BatchSize);
        var done = await deletion.RunAsync(
            (rows, total) => Log.BatchDeleted(Logger, rows, Options.TableName, total),
            ex => MissingTableOrColumn.Explain(
                ex,
                "clean up sessions",
                CleanupExpiredSessionsOptions.SectionName,
                (nameof(Options.TableName), Options.TableName),
                (nameof(Options.ExpiresAtColumn), Options.ExpiresAtColumn)),
            cancellationToken);

        Log.Finished(Logger, done.Rows, Options.TableName, expiredBefore);
        return new CleanupExpiredSessionsResult(done.Rows, done.Batches, expiredBefore);
    }
}
