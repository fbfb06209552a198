using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Deletes, in batches of <see cref="BatchedCommand"/>, the rows of a table whose time column is before a cut-off and
/// that meet <see cref="AlsoWhere"/>, when one is given: what every clean-up task does with its own table, column and cut-off.
/// </summary>
/// <param name="ConnectionString">The application database.</param>
/// <param name="TableName">The table, as configured (validated, unquoted).</param>
/// <param name="TimeColumn">The <c>timestamptz</c> column compared with <paramref name="Before"/>, as configured.</param>
/// <param name="Before">The cut-off: rows with an earlier time are deleted.</param>
/// <param name="BatchSize">Rows deleted per statement.</param>
internal sealed record OlderRowsDeletion(string ConnectionString, string TableName, string TimeColumn, DateTimeOffset Before, int BatchSize)
{
    /// <summary>A further SQL condition on the rows, over parameters that <see cref="AddParameters"/> adds; null for none.</summary>
    public string? AlsoWhere { get; init; }

    /// <summary>Adds the parameters of <see cref="AlsoWhere"/>.</summary>
    public Action<NpgsqlParameterCollection>? AddParameters { get; init; }

    /// <summary>Deletes the rows; returns how many, and the number of statements that deleted at least one.</summary>
    /// <param name="afterBatch">Called after each batch with its row count and the running total.</param>
    /// <param name="explain">The error to throw instead of a <see cref="PostgresException"/>; null lets it through.</param>
    /// <param name="cancellationToken">Checked before each batch.</param>
    public async Task<(long Rows, int Batches)> RunAsync(
        Action<int, long> afterBatch, Func<PostgresException, Exception?> explain, CancellationToken cancellationToken)
    {
        var table = SqlIdentifier.Quote(TableName);
        var older = $"{SqlIdentifier.Quote(TimeColumn)} < @before";
        var sql = $"""
            DELETE FROM {table}
            {BatchedCommand.WhereInNextBatch(table, AlsoWhere is null ? older : $"{AlsoWhere} AND {older}")}
            """;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await BatchedCommand.RunAsync(
            connection,
            sql,
            BatchSize,
            parameters =>
            {
                parameters.AddWithValue("before", Before);
                AddParameters?.Invoke(parameters);
            },
            afterBatch,
            explain,
            cancellationToken);
    }
}
