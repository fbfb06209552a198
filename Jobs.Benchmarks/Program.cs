using System.Globalization;
using Jobs.Benchmarks;

// Jobs.Benchmarks: throughput and latency of the PostgreSQL storage and the server, a Stopwatch harness.
//   dotnet run -c Release --project Jobs.Benchmarks -- --connection "<Npgsql connection string>" [--json] [--read-side] [--only read,dashboard]
// Child mode (started by the harness itself): --pickup-server --connection <cs> --schema <name> --workers <n>
try
{
    var options = BenchOptions.Parse(args);
    if (options.PickupServer)
    {
        await PickupServer.RunAsync(options);
        return 0;
    }

    await Harness.RunAsync(options);
    return 0;
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

namespace Jobs.Benchmarks
{
    internal sealed record BenchOptions(string Connection, bool Json, bool ReadSide, bool PickupServer, string? Schema, int Workers, int ReadSideJobs, IReadOnlySet<string> Only, bool KeepSchema = false)
    {
        public const string Usage =
            "usage: Jobs.Benchmarks --connection \"<Npgsql connection string>\" [--json] [--read-side] [--read-side-jobs N] [--only enqueue,bulk,drain,pickup,read,dashboard] [--keep-schema]";

        public static BenchOptions Parse(string[] args)
        {
            string? connection = null;
            string? schema = null;
            bool json = false, readSide = false, pickup = false, keepSchema = false;
            var workers = 20;
            var readSideJobs = 1_000_000;
            var only = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--connection":
                        connection = Next(args, ref i);
                        break;
                    case "--json":
                        json = true;
                        break;
                    case "--read-side":
                        readSide = true;
                        break;
                    case "--read-side-jobs":
                        readSideJobs = int.Parse(Next(args, ref i), CultureInfo.InvariantCulture);
                        break;
                    case "--only":
                        only.UnionWith(Next(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        break;
                    case "--keep-schema":
                        keepSchema = true;
                        break;
                    case "--pickup-server":
                        pickup = true;
                        break;
                    case "--schema":
                        schema = Next(args, ref i);
                        break;
                    case "--workers":
                        workers = int.Parse(Next(args, ref i), CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }

            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new ArgumentException("--connection is required.");
            }

            if (pickup && schema is null)
            {
                throw new ArgumentException("--pickup-server needs --schema.");
            }

            return new BenchOptions(connection, json, readSide, pickup, schema, workers, readSideJobs, only, keepSchema);
        }

        /// <summary>Whether a group of benchmarks runs (all of them unless --only names some).</summary>
        public bool Runs(string group) => Only.Count == 0 || Only.Contains(group);

        private static string Next(string[] args, ref int i) =>
            ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
    }
}
