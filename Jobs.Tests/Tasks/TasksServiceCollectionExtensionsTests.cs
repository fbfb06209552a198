using Jobs.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Tasks;

public sealed class TasksServiceCollectionExtensionsTests
{
    [Test]
    public void AddRecurringTasks_ResolvesTaskAndCatalog_WhenConfigured()
    {
        using var provider = CreateSut(new() { ["ConnectionStrings:App"] = "Host=app" });

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<CleanupExpiredSessionsTask>(), Is.Not.Null);
            Assert.That(provider.GetRequiredService<RecurringTaskCatalog>().Find(CleanupExpiredSessionsTask.Id), Is.Not.Null);
            Assert.That(provider.GetRequiredService<IOptions<CleanupExpiredSessionsOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
        });
        Assert.DoesNotThrow(provider.GetRequiredService<IStartupValidator>().Validate);
    }

    [Test]
    public void AddRecurringTasks_FailsStartupValidationOfEveryTask_WhenEnabledTasksHaveNoConnectionString()
    {
        using var provider = CreateSut([]);

        var ex = Assert.Throws<AggregateException>(provider.GetRequiredService<IStartupValidator>().Validate);

        // Every task but the weekly report works on the application database.
        var needingTheAppDatabase = RecurringTaskCatalog.FromAssembly().Definitions.Count(d => d.Id != WeeklyReportTask.Id);
        Assert.That(ex!.InnerExceptions, Has.Count.EqualTo(needingTheAppDatabase));
        Assert.That(ex.InnerExceptions, Has.All.InstanceOf<OptionsValidationException>().And.Message.Contains("ConnectionStrings:App"));
    }

    [Test]
    public void AddRecurringTasks_SkipsStartupValidation_WhenTasksAreDisabled()
    {
        var settings = RecurringTaskCatalog.FromAssembly().Definitions.ToDictionary(d => $"Tasks:{d.Id}:Enabled", _ => (string?)"false");
        using var provider = CreateSut(settings);

        Assert.DoesNotThrow(() => provider.GetService<IStartupValidator>()?.Validate());
    }

    [Test]
    public void AddRecurringTasks_ResolvesEveryTaskWithAppConnectionString_WhenConfigured()
    {
        using var provider = CreateSut(new() { ["ConnectionStrings:App"] = "Host=app" });

        Assert.Multiple(() =>
        {
            // The weekly report works on the job storage and a mail sender, which the host registers (tested on its own).
            foreach (var definition in provider.GetRequiredService<RecurringTaskCatalog>().Definitions.Where(d => d.Id != WeeklyReportTask.Id))
            {
                Assert.That(provider.GetRequiredService(definition.TaskType), Is.InstanceOf(definition.TaskType), definition.Id);
            }

            Assert.That(provider.GetRequiredService<IOptions<ArchiveAuditLogsOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(provider.GetRequiredService<IOptions<AggregateDailyStatsOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(provider.GetRequiredService<IOptions<CleanupErrorLogsOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(provider.GetRequiredService<IOptions<DeactivateInactiveCredentialsOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(provider.GetRequiredService<IOptions<CleanupStaleQueueItemsOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
            Assert.That(provider.GetRequiredService<IOptions<DatabaseMaintenanceOptions>>().Value.ConnectionString, Is.EqualTo("Host=app"));
        });
        Assert.DoesNotThrow(provider.GetRequiredService<IStartupValidator>().Validate);
    }

    [Test]
    public void AddRecurringTasks_FailsStartupValidationNamingTheKey_WhenANewTaskHasBadSettings()
    {
        using var provider = CreateSut(new()
        {
            ["ConnectionStrings:App"] = "Host=app",
            ["Tasks:cleanup-error-logs:RetentionDays"] = "0",
        });

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(ex!.Message, Does.Contain("'Tasks:cleanup-error-logs:RetentionDays' must be from 1 to 36500, was 0"));
    }

    [Test]
    public void AddRecurringTasks_SkipsStartupValidationOfATask_WhenOnlyThatTaskIsDisabled()
    {
        using var provider = CreateSut(new()
        {
            ["ConnectionStrings:App"] = "Host=app",
            ["Tasks:cleanup-error-logs:RetentionDays"] = "0",
            ["Tasks:cleanup-error-logs:Enabled"] = "false",
        });

        Assert.DoesNotThrow(provider.GetRequiredService<IStartupValidator>().Validate);
    }

    [Test]
    public void AddRecurringTasks_FailsStartupValidation_WhenBackupHasNoConnectionString()
    {
        var settings = RecurringTaskCatalog.FromAssembly().Definitions.ToDictionary(d => $"Tasks:{d.Id}:Enabled", _ => (string?)"false");
        settings["Tasks:backup-database:Enabled"] = "true";
        using var provider = CreateSut(settings);

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(ex!.Message, Does.Contain("Tasks:backup-database:ConnectionString").And.Contain("ConnectionStrings:App"));
    }

    [Test]
    public void AddRecurringTasks_ResolvesBackupAndReportTasks_WhenConfigured()
    {
        using var provider = CreateSut(new()
        {
            ["ConnectionStrings:App"] = "Host=app;Database=shop",
            ["Tasks:weekly-report:To:0"] = "admins@example.com",
        });

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<BackupDatabaseTask>(), Is.Not.Null);
            Assert.That(provider.GetRequiredService<RecurringTaskCatalog>().Find(BackupDatabaseTask.Id)!.Cron, Is.EqualTo("0 3 * * *"));
            Assert.That(provider.GetRequiredService<RecurringTaskCatalog>().Find(WeeklyReportTask.Id)!.Cron, Is.EqualTo("0 9 * * 1"));
            Assert.That(provider.GetRequiredService<IOptions<WeeklyReportOptions>>().Value.To, Is.EqualTo(new[] { "admins@example.com" }));
            Assert.That(provider.GetRequiredService<IOptions<BackupDatabaseOptions>>().Value.ConnectionString, Is.EqualTo("Host=app;Database=shop"));
        });
        Assert.DoesNotThrow(provider.GetRequiredService<IStartupValidator>().Validate);
    }

    [Test]
    public void AddRecurringTasks_FailsStartupValidation_WhenAReportRecipientIsNoAddress()
    {
        using var provider = CreateSut(new() { ["ConnectionStrings:App"] = "Host=app", ["Tasks:weekly-report:To:0"] = "admins" });

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(ex!.Message, Does.Contain("'Tasks:weekly-report:To'").And.Contain("'admins'"));
    }

    [Test]
    public void AddRecurringTasks_Throws_WhenTaskConfigurationIsInvalid()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Tasks:cleanup-expired-sessions:Enabled"] = "sometimes" })
            .Build();

        Assert.Throws<RecurringTaskCatalogException>(() => new ServiceCollection().AddRecurringTasks(configuration));
    }

    private static ServiceProvider CreateSut(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRecurringTasks(configuration);
        return services.BuildServiceProvider();
    }
}
