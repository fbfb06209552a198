using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Jobs.Benchmarks;

/// <summary>
/// The cost of a benchmark per job, in units that other work on the machine does not distort: the CPU time of this
/// process, the statements PostgreSQL ran for it and the WAL flushes it waited for. Statements come from
/// <c>pg_stat_statements</c> and flushes from <c>pg_stat_wal</c>; either is left out when the server does not have it.
/// The harness's own progress and check queries start with <see cref="HarnessTag"/> and are not counted.
/// </summary>
internal sealed class CostMeter
{
    /// <summary>The comment that marks the harness's own queries, so they are not counted as the engine's.</summary>
    public const string HarnessTag = "/* bench-harness */ ";

    private readonly NpgsqlDataSource _dataSource;
    private bool _statementsAvailable = true;
    private bool _walAvailable = true;

    public CostMeter(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public async Task<Snapshot> TakeAsync()
    {
        long? statements = null;
        double? executionMs = null;
        long? flushes = null;
        if (_statementsAvailable)
        {
            try
            {
                await using var command = _dataSource.CreateCommand(HarnessTag + """
                    SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0)::float8 FROM pg_stat_statements
                    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND query NOT LIKE '/* bench-harness */%'
                    """);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                statements = reader.GetInt64(0);
                executionMs = reader.GetDouble(1);
            }
            catch (PostgresException)
            {
                _statementsAvailable = false;
                Harness.Info("pg_stat_statements is not available: statements per job are not reported");
            }
        }

        if (_walAvailable)
        {
            try
            {
                await using var command = _dataSource.CreateCommand(HarnessTag + "SELECT wal_sync FROM pg_stat_wal");
                flushes = (long)(await command.ExecuteScalarAsync())!;
            }
            catch (PostgresException)
            {
                _walAvailable = false;
                Harness.Info("pg_stat_wal is not available: WAL flushes per job are not reported");
            }
        }

        using var self = Process.GetCurrentProcess();
        return new Snapshot(self.TotalProcessorTime, statements, executionMs, flushes);
    }

    /// <summary>What happened between two snapshots, divided by the jobs it was for.</summary>
    public static Cost PerJob(Snapshot before, Snapshot after, int jobs) =>
        new(
            (after.Cpu - before.Cpu).TotalMilliseconds / jobs,
            after.Statements - before.Statements is { } statements ? (double)statements / jobs : null,
            after.ExecutionMs - before.ExecutionMs is { } ms ? ms / jobs : null,
            after.WalFlushes - before.WalFlushes is { } flushes ? (double)flushes / jobs : null);

    public readonly record struct Snapshot(TimeSpan Cpu, long? Statements, double? ExecutionMs, long? WalFlushes);

    public readonly record struct Cost(double CpuMs, double? Statements, double? ServerExecutionMs, double? WalFlushes)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"client CPU {CpuMs:0.000} ms/job, {Statements?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} statements/job, server execution {ServerExecutionMs?.ToString("0.000", CultureInfo.InvariantCulture) ?? "?"} ms/job, {WalFlushes?.ToString("0.000", CultureInfo.InvariantCulture) ?? "?"} WAL flushes/job");
    }
}
