using Jobs.PostgreSql;

namespace Jobs.Benchmarks;

/// <summary>
/// The child process of the pickup and idle-memory benchmarks: an ordinary server with its own storage
/// and connection pool. Prints READY once started; performs <see cref="BenchJobs.Pickup"/> jobs (which
/// print their start); stops when a STOP line (or end of input) arrives on standard input.
/// </summary>
internal static class PickupServer
{
    public static async Task RunAsync(BenchOptions options)
    {
        using var loggerFactory = Harness.CreateLoggerFactory();
        await using var storage = new PostgreSqlJobStorage(
            options.Connection,
            new PostgreSqlStorageOptions { SchemaName = options.Schema! },
            loggerFactory: loggerFactory);
        await storage.InitializeAsync(CancellationToken.None);
        await using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { WorkerCount = options.Workers, ServerName = "bench-pickup" },
            storage,
            loggerFactory: loggerFactory);
        await server.StartAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync("READY " + server.ServerId);
        await Console.Out.FlushAsync();

        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "STOP")
            {
                break;
            }
        }

        await server.StopAsync(CancellationToken.None);
    }
}
