using Jobs.Tasks;
using Microsoft.Extensions.Configuration;

namespace Jobs.Tests.Tasks;

public sealed class BackupDatabaseOptionsTests
{
    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new BackupDatabaseOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.Null);
            Assert.That(options.Folder, Is.EqualTo("backups"));
            Assert.That(options.PgDumpPath, Is.Null);
            Assert.That(options.Format, Is.EqualTo(BackupFormat.Custom));
            Assert.That(options.KeepLast, Is.EqualTo(7));
            Assert.That(options.FilePrefix, Is.Null);
            Assert.That(BackupDatabaseOptions.SectionName, Is.EqualTo("Tasks:backup-database"));
        });
    }

    [Test]
    public void FromConfiguration_BindsTheSection_AndFallsBackToTheAppConnectionString()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:App"] = "Host=app;Database=shop",
            ["Tasks:backup-database:Folder"] = "/var/backups/shop",
            ["Tasks:backup-database:Format"] = "Tar",
            ["Tasks:backup-database:KeepLast"] = "14",
        }).Build();

        var options = BackupDatabaseOptions.FromConfiguration(configuration);

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.EqualTo("Host=app;Database=shop"));
            Assert.That(options.Folder, Is.EqualTo("/var/backups/shop"));
            Assert.That(options.Format, Is.EqualTo(BackupFormat.Tar));
            Assert.That(options.KeepLast, Is.EqualTo(14));
            Assert.That(options.FindProblems(), Is.Empty);
        });
    }

    [Test]
    public void FindProblems_NamesEveryBadKey_WhenSettingsAreInvalid()
    {
        var options = new BackupDatabaseOptions { Folder = " ", KeepLast = 0, FilePrefix = "../x", PgDumpPath = "", Format = (BackupFormat)9 };

        var problems = options.FindProblems();

        Assert.That(problems, Has.Count.EqualTo(6));
        Assert.That(string.Join(" ", problems), Does.Contain("ConnectionStrings:App").And.Contain("Tasks:backup-database:Folder")
            .And.Contain("Tasks:backup-database:KeepLast").And.Contain("Tasks:backup-database:FilePrefix")
            .And.Contain("Tasks:backup-database:PgDumpPath").And.Contain("Tasks:backup-database:Format"));
    }

    [Test]
    public void PgDumpLocator_FindsTheNewestVersion_UnderADebianStyleRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "jobs-pgdump-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var version in new[] { "9.6", "16", "13", "17" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, version, "bin")).FullName;
                if (version != "17")
                {
                    File.WriteAllText(Path.Combine(bin, "pg_dump"), "");
                }
            }

            Assert.That(PgDumpLocator.FindNewestUnder(root), Is.EqualTo(Path.Combine(root, "16", "bin", "pg_dump")), "17 has no pg_dump");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
