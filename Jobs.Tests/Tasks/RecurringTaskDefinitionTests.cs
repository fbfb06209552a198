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

    private static RecurringTaskDefinition CreateSut() =>
        RecurringTaskCatalog.FromAssembly().Find(CleanupExpiredSessionsTask.Id)!;
}
