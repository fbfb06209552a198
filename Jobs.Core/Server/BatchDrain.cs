namespace Jobs.Server;

/// <summary>Repeats a storage operation that works in batches until a batch comes back short.</summary>
internal static class BatchDrain
{
    /// <summary>Calls <paramref name="batch"/> with <paramref name="batchSize"/> while it returns a full batch; returns the total.</summary>
    public static async Task<int> RunAsync(Func<int, CancellationToken, Task<int>> batch, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int done;
        do
        {
            done = await batch(batchSize, cancellationToken);
            total += done;
        }
        while (done >= batchSize && !cancellationToken.IsCancellationRequested);

        return total;
    }
}
