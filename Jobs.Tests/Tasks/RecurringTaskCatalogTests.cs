using Jobs.Tasks;
using Microsoft.Extensions.Configuration;

namespace Jobs.Tests.Tasks;

public sealed class RecurringTaskCatalogTests
{
    [Test]
    public void FromAssembly_FindsCleanupExpiredSessionsTask_WhenCalledWithDefaults()
    {
        var catalog = RecurringTaskCatalog.FromAssembly();

        var task = catalog.Find("cleanup-expired-sessions");

        Assert.That(task, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(task!.TaskType, Is.EqualTo(typeof(CleanupExpiredSessionsTask)));
            Assert.That(task.Method.Name, Is.EqualTo(nameof(CleanupExpiredSessionsTask.RunAsync)));
            Assert.That(task.Cron, Is.EqualTo("0 * * * *"));
            Assert.That(task.TimeZoneId, Is.EqualTo("UTC"));
            Assert.That(task.Queue, Is.EqualTo("default"));
            Assert.That(task.Enabled, Is.True);
        });
    }

    [TestCase("cleanup-expired-sessions", typeof(CleanupExpiredSessionsTask), "0 * * * *")]
    [TestCase("archive-audit-logs", typeof(ArchiveAuditLogsTask), "0 2 * * *")]
    [TestCase("aggregate-daily-stats", typeof(AggregateDailyStatsTask), "0 1 * * *")]
    [TestCase("cleanup-error-logs", typeof(CleanupErrorLogsTask), "0 4 * * 0")]
    [TestCase("deactivate-inactive-credentials", typeof(DeactivateInactiveCredentialsTask), "0 5 1 * *")]
    [TestCase("cleanup-stale-queue-items", typeof(CleanupStaleQueueItemsTask), "30 0 * * *")]
    [TestCase("database-maintenance", typeof(DatabaseMaintenanceTask), "0 3 1 * *")]
    public void FromAssembly_ListsTaskWithDefaultSchedule_WhenCalledWithDefaults(string id, Type taskType, string cron)
    {
        var catalog = RecurringTaskCatalog.FromAssembly();

        var task = catalog.Find(id);

        Assert.That(task, Is.Not.Null, $"'{id}' is in the catalog");
        Assert.Multiple(() =>
        {
            Assert.That(task!.TaskType, Is.EqualTo(taskType));
            Assert.That(task.Cron, Is.EqualTo(cron));
            Assert.That(task.TimeZoneId, Is.EqualTo("UTC"));
            Assert.That(task.Queue, Is.EqualTo("default"));
            Assert.That(task.Enabled, Is.True);
            Assert.That(catalog.Enabled, Does.Contain(task));
        });
    }

    [Test]
    public void FromAssembly_AppliesOverrides_WhenTheNewTasksAreConfigured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:aggregate-daily-stats:TimeZone"] = "Europe/Berlin",
            ["Tasks:database-maintenance:Enabled"] = "false",
            ["Tasks:archive-audit-logs:Cron"] = "15 3 * * *",
        }).Build();

        var catalog = RecurringTaskCatalog.FromAssembly(configuration: configuration);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.Find("aggregate-daily-stats")!.TimeZoneId, Is.EqualTo("Europe/Berlin"));
            Assert.That(catalog.Find("database-maintenance")!.Enabled, Is.False);
            Assert.That(catalog.Find("archive-audit-logs")!.Cron, Is.EqualTo("15 3 * * *"));
            Assert.That(AggregateDailyStatsOptions.FromConfiguration(configuration).TimeZone, Is.EqualTo("Europe/Berlin"),
                "the statistics count the days of the zone the task is scheduled in");
        });
    }

    [Test]
    public void FromTypes_UsesAttributeSettings_WhenConfigurationIsAbsent()
    {
        var catalog = CreateSut([typeof(ReportTask), typeof(PlainTask)]);

        Assert.That(catalog.Definitions.Select(d => d.Id), Is.EqualTo(new[] { "plain", "report" }));
        var report = catalog.Find("report")!;
        Assert.Multiple(() =>
        {
            Assert.That(report.Cron, Is.EqualTo("30 2 * * *"));
            Assert.That(report.TimeZoneId, Is.EqualTo("Europe/Berlin"));
            Assert.That(report.Queue, Is.EqualTo("reports"));
            Assert.That(report.Method.ReturnType, Is.EqualTo(typeof(Task<int>)));
            Assert.That(catalog.Find("plain")!.Method.ReturnType, Is.EqualTo(typeof(Task)));
        });
    }

    [Test]
    public void FromTypes_AppliesOverrides_WhenTasksSectionSetsThem()
    {
        var catalog = CreateSut([typeof(ReportTask)], new()
        {
            ["Tasks:report:Cron"] = "*/15 * * * *",
            ["Tasks:report:TimeZone"] = "America/New_York",
            ["Tasks:report:Queue"] = "critical",
            ["Tasks:report:Enabled"] = "false",
        });

        var report = catalog.Find("report")!;
        Assert.Multiple(() =>
        {
            Assert.That(report.Cron, Is.EqualTo("*/15 * * * *"));
            Assert.That(report.TimeZoneId, Is.EqualTo("America/New_York"));
            Assert.That(report.Queue, Is.EqualTo("critical"));
            Assert.That(report.Enabled, Is.False);
            Assert.That(catalog.Enabled, Is.Empty);
        });
    }

    [Test]
    public void FromTypes_MatchesSectionIgnoringCase_WhenConfigurationSpellsIdDifferently()
    {
        var catalog = CreateSut([typeof(ReportTask)], new() { ["Tasks:REPORT:Enabled"] = "FALSE" });

        Assert.That(catalog.Find("report")!.Enabled, Is.False);
    }

    [Test]
    public void FromTypes_AcceptsSixFieldCron_WhenSecondsComeFirst()
    {
        var catalog = CreateSut([typeof(ReportTask)], new() { ["Tasks:report:Cron"] = "*/10 * * * * *" });

        Assert.That(catalog.Find("report")!.Cron, Is.EqualTo("*/10 * * * * *"));
    }

    [Test]
    public void FromTypes_Throws_WhenTwoClassesShareAnId()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut([typeof(ReportTask), typeof(SecondReportTask)]));

        Assert.That(ex!.Errors, Has.Exactly(1).Contains("Duplicate recurring task id 'report'")
            .And.Contains(nameof(ReportTask)).And.Contains(nameof(SecondReportTask)));
    }

    [Test]
    public void FromTypes_Throws_WhenClassHasNoRunAsyncMethod()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut([typeof(NoRunTask)]));

        Assert.That(ex!.Message, Does.Contain(nameof(NoRunTask)).And.Contains("RunAsync(CancellationToken)").And.Contains("it has none"));
    }

    [Test]
    public void FromTypes_Throws_WhenRunAsyncTakesNoCancellationToken()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut([typeof(NoTokenTask)]));

        Assert.That(ex!.Message, Does.Contain(nameof(NoTokenTask)).And.Contains("found only Task RunAsync()"));
    }

    [Test]
    public void FromTypes_Throws_WhenRunAsyncIsNotAsync()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut([typeof(SyncTask)]));

        Assert.That(ex!.Message, Does.Contain(nameof(SyncTask)).And.Contains("Int32 RunAsync(CancellationToken)"));
    }

    [Test]
    public void FromTypes_Throws_WhenEnabledIsNotABoolean()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:report:Enabled"] = "yes" }));

        Assert.That(ex!.Errors, Is.EqualTo(new[] { "'Tasks:report:Enabled' must be 'true' or 'false', was 'yes'." }));
    }

    [Test]
    public void FromTypes_Throws_WhenConfiguredCronDoesNotParse()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:report:Cron"] = "61 * * * *" }));

        Assert.That(ex!.Message, Does.Contain("'Tasks:report:Cron'").And.Contains("'61 * * * *' is invalid"));
    }

    [Test]
    public void FromTypes_Throws_WhenCronHasWrongFieldCount()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:report:Cron"] = "every hour" }));

        Assert.That(ex!.Message, Does.Contain("has 2 field(s)"));
    }

    [Test]
    public void FromTypes_Throws_WhenAttributeCronIsInvalid()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut([typeof(BadCronTask)]));

        Assert.That(ex!.Message, Does.Contain($"[RecurringTask] on {typeof(BadCronTask).FullName}").And.Contains("'0 25 * * *' is invalid"));
    }

    [Test]
    public void FromTypes_Throws_WhenTimeZoneIsUnknown()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:report:TimeZone"] = "Mars/Olympus_Mons" }));

        Assert.That(ex!.Message, Does.Contain("'Tasks:report:TimeZone'").And.Contains("'Mars/Olympus_Mons' is not known"));
    }

    [Test]
    public void FromTypes_Throws_WhenQueueNameIsInvalid()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:report:Queue"] = "Critical!" }));

        Assert.That(ex!.Message, Does.Contain("'Tasks:report:Queue'").And.Contains("Queue name 'Critical!' is invalid"));
    }

    [Test]
    public void FromTypes_Throws_WhenSettingIsEmpty()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:report:Cron"] = " " }));

        Assert.That(ex!.Message, Does.Contain("'Tasks:report:Cron' is empty"));
    }

    [Test]
    public void FromTypes_Throws_WhenConfigurationNamesUnknownTask()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() =>
            CreateSut([typeof(ReportTask)], new() { ["Tasks:reprot:Cron"] = "0 * * * *" }));

        Assert.That(ex!.Message, Does.Contain("'Tasks:reprot' names no recurring task (known ids: report)"));
    }

    [Test]
    public void FromTypes_Throws_WhenIdIsInvalid()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut([typeof(BadIdTask)]));

        Assert.That(ex!.Message, Does.Contain("recurring task id 'bad:id' is invalid"));
    }

    [Test]
    public void FromTypes_ListsEveryProblem_WhenSeveralAreWrong()
    {
        var ex = Assert.Throws<RecurringTaskCatalogException>(() => CreateSut(
            [typeof(ReportTask), typeof(NoRunTask)],
            new() { ["Tasks:report:Enabled"] = "maybe", ["Tasks:report:Queue"] = "UPPER" }));

        Assert.That(ex!.Errors, Has.Count.EqualTo(3));
    }

    [Test]
    public void ToJob_CallsRunAsyncWithPlaceholderToken_WhenBuiltFromDefinition()
    {
        var definition = CreateSut([typeof(ReportTask)]).Find("report")!;

        var job = definition.ToJob();

        Assert.Multiple(() =>
        {
            Assert.That(job.Type, Is.EqualTo(typeof(ReportTask)));
            Assert.That(job.Method.Name, Is.EqualTo("RunAsync"));
            Assert.That(job.Args, Is.EqualTo(new object?[] { CancellationToken.None }));
            Assert.That(job.Queue, Is.EqualTo("reports"));
        });
    }

    private static RecurringTaskCatalog CreateSut(Type[] types, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        return RecurringTaskCatalog.FromTypes(types, configuration);
    }

    [RecurringTask("report", "30 2 * * *", TimeZone = "Europe/Berlin", Queue = "reports")]
    private sealed class ReportTask
    {
        public Task<int> RunAsync(CancellationToken cancellationToken) => Task.FromResult(42);
    }

    [RecurringTask("Report", "0 * * * *")]
    private sealed class SecondReportTask
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [RecurringTask("plain", "0 * * * *")]
    private sealed class PlainTask
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [RecurringTask("no-run", "0 * * * *")]
    private sealed class NoRunTask
    {
        public Task ExecuteAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [RecurringTask("no-token", "0 * * * *")]
    private sealed class NoTokenTask
    {
        public Task RunAsync() => Task.CompletedTask;
    }

    [RecurringTask("sync", "0 * * * *")]
    private sealed class SyncTask
    {
        public int RunAsync(CancellationToken cancellationToken) => 1;
    }

    [RecurringTask("bad-cron", "0 25 * * *")]
    private sealed class BadCronTask
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [RecurringTask("bad:id", "0 * * * *")]
    private sealed class BadIdTask
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
