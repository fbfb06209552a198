namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class InMemoryDashboardFailedFilterTests : DashboardFailedFilterTests
{
    protected override string? CreateSchema() => null;
}
