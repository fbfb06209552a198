using Jobs.PostgreSql;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Jobs.Tests.Storage;

namespace Jobs.Tests.PostgreSql;

/// <summary>
/// The contract suite on the PostgreSQL storage: every test gets its own fresh schema (migrated by
/// <see cref="IJobStorage.InitializeAsync"/>), dropped again after the test.
/// </summary>
[TestFixture]
public sealed class PostgreSqlJobStorageContractTests : JobStorageContractTests
{
    private readonly Dictionary<IJobStorage, string> _schemas = [];

    protected override async Task<IJobStorage> CreateStorageAsync(TimeProvider time)
    {
        var schema = PostgreSqlTestDatabase.NewSchemaName();
        var storage = new PostgreSqlJobStorage(
            PostgreSqlTestDatabase.ConnectionString,
            new PostgreSqlStorageOptions { SchemaName = schema },
            time);
        _schemas[storage] = schema;
        try
        {
            await storage.InitializeAsync(default);
        }
        catch
        {
            await DisposeStorageAsync(storage);
            throw;
        }

        return storage;
    }

    protected override async Task DisposeStorageAsync(IJobStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        try
        {
            await storage.DisposeAsync();
        }
        finally
        {
            if (_schemas.Remove(storage, out var schema))
            {
                await PostgreSqlTestDatabase.DropSchemaAsync(schema);
            }
        }
    }
}
