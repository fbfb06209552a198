using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Removes items of the application's queue table stuck in a waiting status (<c>pending</c> or <c>processing</c>)
/// for longer than <see cref="CleanupStaleQueueItemsOptions.StaleAfter"/> (daily at 00:30 by default); items in
/// other statuses and recent ones stay. Works in batches, each its own short statement; safe to run twice at once,
/// as each batch locks the rows it takes with <c>SKIP LOCKED</c>.
/// </summary>
[RecurringTask(Id, "30 0 * * *")]
public sealed class CleanupStaleQueueItemsTask : ConfiguredTask<CleanupStaleQueueItemsOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "cleanup-stale-queue-items";

    public CleanupStaleQueueItemsTask(
        IOptions<CleanupStaleQueueItemsOptions> options,
        TimeProvider timeProvider,
        ILogger<CleanupStaleQueueItemsTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Deletes every item stuck in a waiting status since before the cut-off; returns how many.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The table or a column does not exist.</exception>
    public async Task<CleanupStaleQueueItemsResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var statuses = Options.Statuses.ToArray();
        var unchangedSince = Clock.GetUtcNow() - Options.StaleAfter;

        // A worker holding an item (FOR UPDATE) keeps it out of the batch.
        var deletion = new OlderRowsDeletion(Options.ConnectionString!, Options.TableName, Options.UpdatedAtColumn, unchangedSince, Options.BatchSize)
        {
            AlsoWhere = $"{SqlIdentifier.Quote(Options.StatusColumn)} = ANY (@statuses)",
            AddParameters = parameters => parameters.AddWithValue("statuses", statuses),
        };
        var done = await deletion.RunAsync(
            (rows, total) => Log.QueueItemBatchDeleted(Logger, rows, Options.TableName, total),
            Explain,
            cancellationToken);

        Log.StaleQueueItemsDeleted(Logger, done.Rows, Options.TableName, string.Join(", ", statuses), unchangedSince);
        return new CleanupStaleQueueItemsResult(done.Rows, done.Batches, unchangedSince, statuses);
    }

    private InvalidOperationException? Explain(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UndefinedFunction
            ? new InvalidOperationException(
                $"Cannot clean up stale queue items: {ex.MessageText}. '{CleanupStaleQueueItemsOptions.SectionName}:StatusColumn' " +
                $"('{Options.StatusColumn}') must be a text or varchar column compared with the configured statuses.",
                ex)
            : MissingTableOrColumn.Explain(
                ex,
                "clean up stale queue items",
                CleanupStaleQueueItemsOptions.SectionName,
                (nameof(Options.TableName), Options.TableName),
                (nameof(Options.StatusColumn), Options.StatusColumn),
                (nameof(Options.UpdatedAtColumn), Options.UpdatedAtColumn));
}
