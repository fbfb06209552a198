using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL database the integration tests run against, named by the <c>JOBS_TEST_CONNECTION</c>
/// environment variable. Each caller gets its own fresh schema and drops it afterwards.
/// </summary>
internal static class PostgreSqlTestDatabase
{
    public const string VariableName = "JOBS_TEST_CONNECTION";

    /// <summary>The connection string; throws a clear exception when the variable is missing.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(VariableName);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"The environment variable {VariableName} is not set. PostgreSQL tests need an Npgsql connection string to a " +
                    "database they may create schemas in: run them with the test command in the README " +
                    $"(which starts a throwaway PostgreSQL and sets {VariableName}).");
            }

            return value;
        }
    }

    /// <summary>A schema name no one else uses (<c>t_</c> and a GUID).</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N");

    public static async Task DropSchemaAsync(string schemaName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schemaName}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
