using Jobs.Server;
using Jobs.Tasks;
using Microsoft.Extensions.Configuration;

namespace Jobs.Tests.Tasks;

/// <summary>How the host's <see cref="JobsHostConfiguration.ApplyDefaults"/> treats the task library when no application database is configured.</summary>
public sealed class TasksWithoutAppDatabaseTests
{
    private static readonly string[] TaskIds =
    [
        "cleanup-expired-sessions", "archive-audit-logs", "aggregate-daily-stats", "cleanup-error-logs",
        "deactivate-inactive-credentials", "cleanup-stale-queue-items", "database-maintenance",
    ];

    [Test]
    public void ApplyDefaults_SwitchesEveryTaskOff_WhenNoDatabaseIsConfigured()
    {
        var configuration = CreateConfiguration([]);

        var switchedOff = JobsHostConfiguration.ApplyDefaults(configuration);

        var catalog = RecurringTaskCatalog.FromAssembly(configuration: configuration);
        Assert.Multiple(() =>
        {
            Assert.That(switchedOff, Is.SupersetOf(TaskIds));
            Assert.That(catalog.Enabled.Select(d => d.Id), Is.Empty);
        });
    }

    [Test]
    public void ApplyDefaults_KeepsATaskOn_WhenItHasItsOwnConnectionString()
    {
        var configuration = CreateConfiguration(new() { ["Tasks:archive-audit-logs:ConnectionString"] = "Host=audit" });

        var switchedOff = JobsHostConfiguration.ApplyDefaults(configuration);

        Assert.Multiple(() =>
        {
            Assert.That(switchedOff, Does.Not.Contain("archive-audit-logs"));
            Assert.That(RecurringTaskCatalog.FromAssembly(configuration: configuration).Enabled.Select(d => d.Id), Is.EqualTo(new[] { "archive-audit-logs" }));
            Assert.That(ArchiveAuditLogsOptions.FromConfiguration(configuration).FindProblems(), Is.Empty);
        });
    }

    [Test]
    public void ApplyDefaults_PointsEveryTaskAtTheJobsDatabase_WhenOnlyItIsConfigured()
    {
        var configuration = CreateConfiguration(new() { ["ConnectionStrings:Jobs"] = "Host=jobs" });

        var switchedOff = JobsHostConfiguration.ApplyDefaults(configuration);

        Assert.Multiple(() =>
        {
            Assert.That(switchedOff, Is.Empty);
            Assert.That(RecurringTaskCatalog.FromAssembly(configuration: configuration).Enabled.Select(d => d.Id), Is.SupersetOf(TaskIds));
            Assert.That(CleanupStaleQueueItemsOptions.FromConfiguration(configuration).ConnectionString, Is.EqualTo("Host=jobs"));
            Assert.That(DatabaseMaintenanceOptions.FromConfiguration(configuration).ConnectionString, Is.EqualTo("Host=jobs"));
        });
    }

    private static ConfigurationManager CreateConfiguration(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings);
        return configuration;
    }
}
