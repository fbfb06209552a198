using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// A statement that changes at most one batch of a table's rows, run again and again until the work is done: the shape of
/// every task that cleans up, archives or deactivates rows. Each batch is its own short statement, so a large backlog
/// never holds one long transaction, and concurrent runs split the work instead of waiting on or repeating each other.
/// </summary>
internal static class BatchedCommand
{
    /// <summary>
    /// The <c>WHERE</c> clause of a statement on <paramref name="quotedTable"/> that takes the next batch of rows meeting
    /// <paramref name="condition"/>, at most <c>@batch_size</c> of them. ctid addresses the rows without knowing the table's
    /// key; they stay locked by the statement between choosing and changing them, so their ctid cannot change underneath it,
    /// and rows another run (or a worker, <c>FOR UPDATE</c>) holds are skipped rather than waited for.
    /// </summary>
    public static string WhereInNextBatch(string quotedTable, string condition) => $"""
        WHERE ctid = ANY (ARRAY(
            SELECT ctid FROM {quotedTable}
            WHERE {condition}
            LIMIT @batch_size
            FOR UPDATE SKIP LOCKED))
        """;

    /// <summary>
    /// Runs <paramref name="sql"/>, a statement whose rows are chosen by <see cref="WhereInNextBatch"/>, until a batch
    /// changes fewer rows than <paramref name="batchSize"/>.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">The statement; <c>@batch_size</c> is set here.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="addParameters">Adds the statement's other parameters.</param>
    /// <param name="afterBatch">Called after each batch with its row count and the running total.</param>
    /// <param name="explain">
    /// The error to throw instead of a <see cref="PostgresException"/> of the statement, one that says what to fix;
    /// null lets the original through.
    /// </param>
    /// <param name="cancellationToken">Checked before each batch and passed to each statement.</param>
    /// <returns>Rows changed in all, and the number of batches that changed at least one.</returns>
    public static async Task<(long Rows, int Batches)> RunAsync(
        NpgsqlConnection connection,
        string sql,
        int batchSize,
        Action<NpgsqlParameterCollection> addParameters,
        Action<int, long> afterBatch,
        Func<PostgresException, Exception?> explain,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        addParameters(command.Parameters);
        command.Parameters.AddWithValue("batch_size", batchSize);
        try
        {
            return await ExecuteUntilDoneAsync(command, batchSize, afterBatch, cancellationToken);
        }
        catch (PostgresException ex) when (explain(ex) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>
    /// Executes <paramref name="command"/> until it changes nothing or fewer rows than <paramref name="batchSize"/>:
    /// a short batch means nothing is left, or a concurrent run holds the rest (<c>SKIP LOCKED</c>) and does it.
    /// </summary>
    private static async Task<(long Rows, int Batches)> ExecuteUntilDoneAsync(
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
