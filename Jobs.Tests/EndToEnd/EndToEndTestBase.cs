using System.Globalization;
using System.Text;
using Jobs.PostgreSql;
using Jobs.TestHost;
using Npgsql;
using NUnit.Framework.Interfaces;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// End-to-end tests: job servers run as real processes (<c>Jobs.Tests.Host</c>, <c>Jobs.Server</c>) against the
/// real PostgreSQL of the test run; the test enqueues through a client of its own and watches the database.
/// Each fixture works in a schema of its own (dropped afterwards); every process a test starts is killed in
/// teardown, and when a test fails the output of its processes is attached to the result.
/// Nothing here sleeps: tests poll the database until a condition holds or <see cref="Patience"/> runs out.
/// </summary>
[Category("EndToEnd")]
public abstract class EndToEndTestBase
{
    /// <summary>How long a condition may take before the test fails; generous, because two cores run everything.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly List<ServerProcess> _processes = [];
    private readonly List<PostgreSqlJobStorage> _storages = [];

    /// <summary>This fixture's schema: job tables and the probe table.</summary>
    protected string Schema { get; private set; } = null!;

    protected string ConnectionString { get; private set; } = null!;

    /// <summary>A storage of the test process, as an application that enqueues would have.</summary>
    protected PostgreSqlJobStorage Storage { get; private set; } = null!;

    /// <summary>A client over <see cref="Storage"/>: a separate process from the servers' point of view.</summary>
    protected BackgroundJobClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateSchema()
    {
        ConnectionString = TestDatabase.ConnectionString;
        Schema = "e2e_" + GetType().Name.ToLowerInvariant() + "_" + Guid.NewGuid().ToString("N")[..6];
        if (Schema.Length > 50)
        {
            Schema = "e2e_" + Guid.NewGuid().ToString("N");
        }

        await ExecuteAsync(ProbeTable.CreateSql(Schema));
        Storage = new PostgreSqlJobStorage(ConnectionString, new PostgreSqlStorageOptions { SchemaName = Schema });
        await Storage.InitializeAsync(CancellationToken.None);
        Client = new BackgroundJobClient(Storage);
    }

    [OneTimeTearDown]
    public async Task DropSchema()
    {
        if (ConnectionString is null)
        {
            return;
        }

        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }

        _storages.Clear();
        if (Storage is not null)
        {
            await Storage.DisposeAsync();
        }

        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
    }

    [TearDown]
    public async Task StopProcesses()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed;
        var errors = new List<Exception>();
        foreach (var process in _processes)
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                errors.Add(ex); // the other processes must still be killed
            }

            if (failed)
            {
                await TestContext.Out.WriteLineAsync(process.Describe());
            }
        }

        _processes.Clear();
        if (errors.Count > 0)
        {
            throw new AggregateException("Stopping the test's processes failed.", errors);
        }
    }

    protected PostgreSqlJobStorage CreateStorage()
    {
        var storage = new PostgreSqlJobStorage(ConnectionString, new PostgreSqlStorageOptions { SchemaName = Schema });
        _storages.Add(storage);
        return storage;
    }

    /// <summary>
    /// Starts a <c>Jobs.Tests.Host</c> job server on this fixture's schema and waits until it has announced itself.
    /// Intervals are short so tests are quick; <paramref name="settings"/> (keys under <c>Jobs:Server</c>) override them.
    /// </summary>
    protected async Task<ServerProcess> StartServerAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__Jobs"] = ConnectionString,
            ["Jobs__PostgreSql__SchemaName"] = Schema,
            ["Jobs__Server__ServerName"] = name,
            ["Jobs__Server__WorkerCount"] = "4",
            ["Jobs__Server__HeartbeatInterval"] = "00:00:01",
            ["Jobs__Server__ServerTimeout"] = "00:00:30",
            ["Jobs__Server__ServerCheckInterval"] = "00:00:01",
            ["Jobs__Server__SchedulePollingInterval"] = "00:00:00.500",
            ["Jobs__Server__QueuePollInterval"] = "00:00:01",
            ["Jobs__Server__ShutdownTimeout"] = "00:00:05",
            ["JOBS_TEST_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment["Jobs__Server__" + key] = value;
        }

        var process = Track(ServerProcess.Start(name, Binaries.TestHost, environment));
        await WaitUntilAsync(
            async () => await ServerIdOfAsync(name) is not null,
            () => $"server {name} to announce itself in {Schema}.server");
        return process;
    }

    /// <summary>Starts <c>Jobs.Server</c> (the product's host) with the given environment.</summary>
    protected ServerProcess StartJobsServer(string name, IReadOnlyDictionary<string, string?> environment) =>
        Track(ServerProcess.Start(name, Binaries.JobsServer, environment));

    protected ServerProcess Track(ServerProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="missing"/> and attaching every process's output.</summary>
    protected async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> missing, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? Patience);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Gave up after {(timeout ?? Patience).TotalSeconds:0} s waiting for {missing()}.{Environment.NewLine}{DescribeProcesses()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    protected string DescribeProcesses()
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.AppendLine(process.Describe());
        }

        return text.ToString();
    }

    // Reading the database ------------------------------------------------------------------------

    /// <summary>The id of the live server whose name is <paramref name="name"/>, or null.</summary>
    protected async Task<string?> ServerIdOfAsync(string name) =>
        await ScalarAsync<string>($"SELECT id FROM \"{Schema}\".server WHERE id LIKE @p0 || ':%' LIMIT 1", name);

    protected async Task<string?> StateOfAsync(string jobId) =>
        await ScalarAsync<string>($"SELECT state FROM \"{Schema}\".job WHERE id = @p0", long.Parse(jobId, CultureInfo.InvariantCulture));

    /// <summary>The states the job went through, oldest first, with their reasons.</summary>
    protected async Task<IReadOnlyList<(string State, string? Reason)>> HistoryOfAsync(string jobId)
    {
        var rows = await QueryAsync(
            $"SELECT state, reason FROM \"{Schema}\".job_history WHERE job_id = @p0 ORDER BY id",
            long.Parse(jobId, CultureInfo.InvariantCulture));
        return rows.Select(r => ((string)r[0]!, (string?)r[1])).ToList();
    }

    /// <summary>The probe rows of <paramref name="marker"/>, oldest first.</summary>
    protected async Task<IReadOnlyList<ProbeRow>> ProbeRowsAsync(string marker)
    {
        var rows = await QueryAsync(
            $"SELECT marker, event, job_id, server_id, pid, at FROM \"{Schema}\".{ProbeTable.Name} WHERE marker = @p0 ORDER BY id", marker);
        return rows.Select(ProbeRow.From).ToList();
    }

    protected async Task WaitForStateAsync(string jobId, string state)
    {
        string? last = null;
        await WaitUntilAsync(
            async () => (last = await StateOfAsync(jobId)) == state,
            () => $"job {jobId} to be {state} (it is {last ?? "missing"}; history: {FormatHistory(jobId)})");
    }

    protected string FormatHistory(string jobId)
    {
        var history = HistoryOfAsync(jobId).GetAwaiter().GetResult();
        return string.Join(" → ", history.Select(h => h.Reason is null ? h.State : $"{h.State} ({h.Reason})"));
    }

    protected async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    protected async Task<IReadOnlyList<object?[]>> QueryAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    protected static string NewMarker(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue("p" + i.ToString(CultureInfo.InvariantCulture), parameters[i]);
        }

        return command;
    }
}
