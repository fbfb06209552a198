using Jobs.Tasks;
using Npgsql;

namespace Jobs.Tests.Tasks;

/// <summary>
/// A task test against real PostgreSQL: each test gets a schema of its own holding the tables of
/// <see cref="AppSchema.Script"/>, dropped afterwards.
/// </summary>
public abstract class AppDatabaseTestBase
{
    protected string ConnectionString { get; private set; } = "";

    protected string Schema { get; private set; } = "";

    [SetUp]
    public async Task CreateAppSchema()
    {
        ConnectionString = TestDatabase.ConnectionString;
        Schema = "tasks_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE SCHEMA {Schema}; SET search_path TO {Schema}; {AppSchema.Script}");
    }

    [TearDown]
    public async Task DropAppSchema()
    {
        if (Schema.Length > 0 && ConnectionString.Length > 0)
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        }
    }

    /// <summary>The table's name qualified with this test's schema, as a task's options take it.</summary>
    protected string Table(string name) => Schema + "." + name;

    protected async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(sql, connection, parameters);
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(sql, connection, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Rows of a table of this test's schema matching <paramref name="where"/>.</summary>
    protected Task<long> CountAsync(string table, string where = "true", params (string Name, object Value)[] parameters) =>
        ScalarAsync<long>($"SELECT count(*) FROM {Schema}.{table} WHERE {where}", parameters);

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
