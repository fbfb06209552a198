using Jobs.Tasks;
using Microsoft.Extensions.Configuration;

namespace Jobs.Tests.Tasks;

public sealed class CleanupExpiredSessionsOptionsTests
{
    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new CleanupExpiredSessionsOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.Null);
            Assert.That(options.TableName, Is.EqualTo("sessions"));
            Assert.That(options.ExpiresAtColumn, Is.EqualTo("expires_at"));
            Assert.That(options.BatchSize, Is.EqualTo(10_000));
            Assert.That(CleanupExpiredSessionsOptions.SectionName, Is.EqualTo("Tasks:cleanup-expired-sessions"));
        });
    }

    [Test]
    public void FromConfiguration_UsesAppConnectionString_WhenSectionHasNone()
    {
        var options = CreateSut(new() { ["ConnectionStrings:App"] = "Host=app", ["Tasks:cleanup-expired-sessions:BatchSize"] = "500" });

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(options.BatchSize, Is.EqualTo(500));
        });
    }

    [Test]
    public void FromConfiguration_PrefersSectionConnectionString_WhenBothAreSet()
    {
        var options = CreateSut(new()
        {
            ["ConnectionStrings:App"] = "Host=app",
            ["Tasks:cleanup-expired-sessions:ConnectionString"] = "Host=sessions",
            ["Tasks:cleanup-expired-sessions:TableName"] = "auth.user_sessions",
            ["Tasks:cleanup-expired-sessions:ExpiresAtColumn"] = "valid_until",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.EqualTo("Host=sessions"));
            Assert.That(options.TableName, Is.EqualTo("auth.user_sessions"));
            Assert.That(options.ExpiresAtColumn, Is.EqualTo("valid_until"));
            Assert.That(options.FindProblems(), Is.Empty);
        });
    }

    [Test]
    public void FindProblems_ReportsMissingConnectionString_WhenNoneIsConfigured()
    {
        var options = CreateSut([]);

        Assert.That(options.FindProblems(), Has.Exactly(1).Contains("ConnectionStrings:App"));
    }

    [TestCase("sessions; DROP TABLE users")]
    [TestCase("sessions\"")]
    [TestCase("a.b.c")]
    [TestCase("1sessions")]
    [TestCase("")]
    public void FindProblems_RejectsTableName_WhenItIsNotAPlainIdentifier(string tableName)
    {
        var options = new CleanupExpiredSessionsOptions { ConnectionString = "Host=x", TableName = tableName };

        Assert.That(options.FindProblems(), Has.Exactly(1).Contains("TableName"));
    }

    [TestCase("expires at")]
    [TestCase("app.expires_at")]
    [TestCase("expires_at--")]
    public void FindProblems_RejectsColumn_WhenItIsNotAPlainIdentifier(string column)
    {
        var options = new CleanupExpiredSessionsOptions { ConnectionString = "Host=x", ExpiresAtColumn = column };

        Assert.That(options.FindProblems(), Has.Exactly(1).Contains("ExpiresAtColumn"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(1_000_001)]
    public void Validate_Throws_WhenBatchSizeIsOutOfRange(int batchSize)
    {
        var options = new CleanupExpiredSessionsOptions { ConnectionString = "Host=x", BatchSize = batchSize };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain("BatchSize"));
    }

    private static CleanupExpiredSessionsOptions CreateSut(Dictionary<string, string?> settings) =>
        CleanupExpiredSessionsOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
