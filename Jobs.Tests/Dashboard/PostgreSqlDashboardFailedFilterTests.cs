using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Dashboard;

[TestFixture]
[Category("PostgreSql")]
public sealed class PostgreSqlDashboardFailedFilterTests : DashboardFailedFilterTests
{
    protected override string? CreateSchema()
    {
        _ = TestDatabase.ConnectionString; // ignored (or failed under CI) without a database
        return PostgreSqlTestDatabase.NewSchemaName();
    }

    protected override Task DropSchemaAsync(string schema) => PostgreSqlTestDatabase.DropSchemaAsync(schema);
}
