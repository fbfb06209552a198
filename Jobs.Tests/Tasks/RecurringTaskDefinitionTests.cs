using System.Linq.Expressions;
using System.Text.Json;
using Jobs.Common;
using Jobs.Tasks;

namespace Jobs.Tests.Tasks;

public sealed class RecurringTaskDefinitionTests
{
    [Test]
    public void ToJob_SurvivesStorageRoundTrip_WhenTaskComesFromCatalog()
    {
        var job = CreateSut().ToJob();

        var loaded = InvocationData.Serialize(job).Deserialize();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Type, Is.EqualTo(typeof(CleanupExpiredSessionsTask)));
            Assert.That(loaded.Method, Is.EqualTo(job.Method));
            Assert.That(loaded.Args, Is.EqualTo(new object?[] { CancellationToken.None }));
        });
    }

    [Test]
    public void ToJob_CallsSameMethodAsClient_WhenTaskIsEnqueuedByHand()
    {
        Expression<Func<CleanupExpiredSessionsTask, Task>> call = t => t.RunAsync(CancellationToken.None);

        var byHand = JobExpression.Parse(call, typeof(CleanupExpiredSessionsTask));

        Assert.That(CreateSut().ToJob().Method, Is.EqualTo(byHand.Method));
    }

    [Test]
    public void Result_RoundTripsThroughJobSerializer_WhenStoredWithSucceededJob()
    {
        var result = new CleanupExpiredSessionsResult(12_345, 2, new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        var json = JsonSerializer.Serialize(result, JobSerializer.Options);
        var back = JsonSerializer.Deserialize<CleanupExpiredSessionsResult>(json, JobSerializer.Options);

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\"rowsDeleted\":12345"));
            Assert.That(back, Is.EqualTo(result));
        });
    }

    private static readonly DateTimeOffset ResultTime = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<TestCaseData> MaintenanceResults()
    {
        yield return new TestCaseData(new ArchiveAuditLogsResult(3000, 1, ResultTime), "\"rowsArchived\":3000").SetArgDisplayNames("archive-audit-logs");
        yield return new TestCaseData(
            new AggregateDailyStatsResult(new DateOnly(2026, 2, 28), "Europe/Berlin", ResultTime, ResultTime.AddDays(1), 4, 5, 6, 7),
            "\"day\":\"2026-02-28\"").SetArgDisplayNames("aggregate-daily-stats");
        yield return new TestCaseData(new CleanupErrorLogsResult(12, 1, ResultTime), "\"rowsDeleted\":12").SetArgDisplayNames("cleanup-error-logs");
        yield return new TestCaseData(new DeactivateInactiveCredentialsResult(8, 1, ResultTime), "\"credentialsDeactivated\":8")
            .SetArgDisplayNames("deactivate-inactive-credentials");
        yield return new TestCaseData(new CleanupStaleQueueItemsResult(9, 1, ResultTime, ["pending", "processing"]), "\"statuses\":[\"pending\",\"processing\"]")
            .SetArgDisplayNames("cleanup-stale-queue-items");
        yield return new TestCaseData(new DatabaseMaintenanceResult(["users", "app.sessions"]), "\"tablesVacuumed\":[\"users\",\"app.sessions\"]")
            .SetArgDisplayNames("database-maintenance");
    }

    [TestCaseSource(nameof(MaintenanceResults))]
    public void Result_SerializesForTheDashboard_WhenStoredWithSucceededJob(object result, string expectedJson)
    {
        var json = JsonSerializer.Serialize(result, result.GetType(), JobSerializer.Options);
        var back = JsonSerializer.Deserialize(json, result.GetType(), JobSerializer.Options);

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain(expectedJson));
            Assert.That(JsonSerializer.Serialize(back, result.GetType(), JobSerializer.Options), Is.EqualTo(json));
        });
    }

    private static RecurringTaskDefinition CreateSut() =>
        RecurringTaskCatalog.FromAssembly().Find(CleanupExpiredSessionsTask.Id)!;
}
