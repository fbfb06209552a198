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
    public void AddRecurringTasks_FailsStartupValidation_WhenEnabledTaskHasNoConnectionString()
    {
        using var provider = CreateSut(new() { ["Tasks:backup-database:Enabled"] = "false" });

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        Assert.That(ex!.Message, Does.Contain("ConnectionStrings:App"));
    }

    [Test]
    public void AddRecurringTasks_SkipsStartupValidation_WhenTaskIsDisabled()
    {
        using var provider = CreateSut(new() { ["Tasks:cleanup-expired-sessions:Enabled"] = "false", ["Tasks:backup-database:Enabled"] = "false" });

        Assert.DoesNotThrow(() => provider.GetService<IStartupValidator>()?.Validate());
    }

    [Test]
    public void AddRecurringTasks_FailsStartupValidation_WhenBackupHasNoConnectionString()
    {
        using var provider = CreateSut(new() { ["Tasks:cleanup-expired-sessions:Enabled"] = "false" });

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
