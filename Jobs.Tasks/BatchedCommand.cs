using Npgsql;

namespace Jobs.Tasks;

/// <summary>Runs a prepared statement that changes at most one batch of rows again and again until the work is done.</summary>
internal static class BatchedCommand
{
    /// <summary>
    /// Executes <paramref name="command"/> until it changes nothing or fewer rows than <paramref name="batchSize"/>:
    /// a short batch means nothing is left, or a concurrent run holds the rest (<c>SKIP LOCKED</c>) and does it.
    /// </summary>
    /// <param name="command">A statement on an open connection; prepared here.</param>
    /// <param name="batchSize">The statement's LIMIT.</param>
    /// <param name="afterBatch">Called after each batch with its row count and the running total.</param>
    /// <param name="cancellationToken">Checked before each batch and passed to each statement.</param>
    /// <returns>Rows changed in all, and the number of batches that changed at least one.</returns>
    public static async Task<(long Rows, int Batches)> ExecuteUntilDoneAsync(
        NpgsqlCommand command, int batchSize, Action<int, long> afterBatch, CancellationToken cancellationToken)
    {
        await command.PrepareAsync(cancellationToken);
        long total = 0;
        var batches = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            if (rows == 0)
            {
                return (total, batches);
            }

            total += rows;
            batches++;
            afterBatch(rows, total);
            if (rows < batchSize)
            {
                return (total, batches);
            }
        }
    }
}
