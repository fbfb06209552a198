using Npgsql;

namespace Jobs.Benchmarks;

/// <summary>Direct SQL on the benchmark's schema, on a pool of its own: resets between benchmarks, cheap progress counters, checks.</summary>
internal sealed class BenchDatabase(NpgsqlDataSource dataSource, string connectionString, string schemaName)
{
    private static readonly string[] CounterKeys = ["state:Enqueued", "state:Processing", "state:Succeeded"];

    /// <summary>The quoted schema.</summary>
    public string Schema { get; } = "\"" + schemaName + "\"";

    public string SchemaName => schemaName;

    public string ConnectionString => connectionString;

    /// <summary>Empties the job tables so every benchmark starts alike.</summary>
    public Task ResetAsync() =>
        ExecuteAsync($"TRUNCATE {Schema}.job, {Schema}.job_history, {Schema}.counter, {Schema}.counter_total, {Schema}.server, {Schema}.task_statistics_daily");

    /// <summary>Fresh planner statistics and a checkpoint, so neither autovacuum nor a checkpoint lands in the middle of a measurement by our own doing.</summary>
    public async Task SettleAsync()
    {
        await ExecuteAsync($"ANALYZE {Schema}.job, {Schema}.job_history, {Schema}.counter, {Schema}.counter_total");
        await ExecuteAsync("CHECKPOINT");
    }

    /// <summary>Enqueued, Processing and Succeeded, read from the counters the storage keeps (a few index lookups).</summary>
    public async Task<(long Enqueued, long Processing, long Succeeded)> CountersAsync()
    {
        await using var command = dataSource.CreateCommand(CostMeter.HarnessTag + $"""
            SELECT coalesce(sum(value) FILTER (WHERE key = 'state:Enqueued'), 0)::bigint,
                   coalesce(sum(value) FILTER (WHERE key = 'state:Processing'), 0)::bigint,
                   coalesce(sum(value) FILTER (WHERE key = 'state:Succeeded'), 0)::bigint
            FROM (SELECT key, value FROM {Schema}.counter_total WHERE key = ANY (@keys)
                  UNION ALL SELECT key, value FROM {Schema}.counter WHERE key = ANY (@keys)) c
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", CounterKeys));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task ExpectEnqueuedAsync(long expected)
    {
        var count = await ScalarAsync<long>($"SELECT count(*) FROM {Schema}.job WHERE state = 'Enqueued'");
        if (count != expected)
        {
            throw new InvalidOperationException($"{count} jobs Enqueued, expected {expected}.");
        }
    }

    public async Task WaitForServersAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ScalarAsync<long>($"SELECT count(*) FROM {Schema}.server") < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Fewer than {count} servers announced themselves.");
            }

            await Task.Delay(50);
        }
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = dataSource.CreateCommand(CostMeter.HarnessTag + sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, int timeoutSeconds = 600)
    {
        await using var command = dataSource.CreateCommand(CostMeter.HarnessTag + sql);
        command.CommandTimeout = timeoutSeconds;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/> with the named parameters (@name in the text).</summary>
    public async Task ExecuteWithParametersAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(CostMeter.HarnessTag + sql);
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        await command.ExecuteNonQueryAsync();
    }
}
