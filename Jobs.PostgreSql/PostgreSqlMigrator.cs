using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>
/// Applies the numbered <c>Migrations/NNN_name.sql</c> files embedded in this assembly that the schema has not seen yet,
/// all in one transaction under a transaction-level advisory lock, so servers starting together wait for each other.
/// </summary>
internal static class PostgreSqlMigrator
{
    // One key for every schema: CREATE EXTENSION and CREATE SCHEMA race across schemas too.
    private const long MigrationLockKey = 0x4A6F_6273_4D69_6772; // "JobsMigr"
    private const string SchemaPlaceholder = "{{schema}}";

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        var migrations = LoadMigrations();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long>("key", MigrationLockKey));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var prepare = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_version (
              version integer PRIMARY KEY,
              name text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now()
            );
            """,
            connection,
            transaction))
        {
            await prepare.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            Log.ApplyingMigration(logger, migration.Version, migration.Name, schema);
            await using (var apply = new NpgsqlCommand(migration.Sql.Replace(SchemaPlaceholder, schema, StringComparison.Ordinal), connection, transaction))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = new NpgsqlCommand($"INSERT INTO {schema}.schema_version (version, name) VALUES (@version, @name)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int>("version", migration.Version));
            record.Parameters.Add(new NpgsqlParameter<string>("name", migration.Name));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Compares the migrations recorded in <paramref name="schema"/> with the embedded ones; one query, no lock, no retries.</summary>
    public static async Task<PostgreSqlSchemaStatus> ReadStatusAsync(NpgsqlDataSource dataSource, string schema, string schemaName, CancellationToken cancellationToken)
    {
        var migrations = LoadMigrations();
        var applied = new List<int>();
        var exists = true;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var read = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version ORDER BY version", connection);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            exists = false;
        }

        var appliedSet = applied.ToHashSet();
        var missing = migrations.Where(m => !appliedSet.Contains(m.Version)).Select(m => m.Name).ToArray();
        return new PostgreSqlSchemaStatus(schemaName, exists, applied, missing, migrations.Count == 0 ? 0 : migrations[^1].Version);
    }

    /// <summary>The embedded migrations in version order.</summary>
    internal static IReadOnlyList<Migration> LoadMigrations()
    {
        var assembly = typeof(PostgreSqlMigrator).Assembly;
        const string prefix = "Jobs.PostgreSql.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[prefix.Length..^".sql".Length];
            var digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
            // Resource names of files starting with a digit get a leading '_' from MSBuild.
            if (digits.Length == 0 && name.StartsWith('_'))
            {
                name = name[1..];
                digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
            }

            if (digits.Length == 0)
            {
                throw new InvalidOperationException($"Migration resource '{resource}' does not start with a version number.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Migration resource '{resource}' could not be read.");
            using var text = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(digits, CultureInfo.InvariantCulture), name, text.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations;
    }

    internal sealed record Migration(int Version, string Name, string Sql);
}
