using Jobs.Server;
using Jobs.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Jobs.Tests.ServerHost;

[TestFixture]
public sealed class RecurringTaskRegistrarTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task StartAsync_ReturnsAtOnceAndRegistersLater_WhenTheStorageFailsTwiceFirst()
    {
        var manager = new Mock<IRecurringJobManager>();
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        manager
            .Setup(m => m.AddOrUpdateAsync(CleanupExpiredSessionsTask.Id, It.IsAny<Job>(), It.IsAny<string>(), It.IsAny<RecurringJobOptions?>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                if (++calls <= 2)
                {
                    return Task.FromException(new InvalidOperationException("Failed to connect to 127.0.0.1:5432"));
                }

                registered.TrySetResult();
                return Task.CompletedTask;
            });
        using var registrar = CreateSut(manager.Object);

        var start = registrar.StartAsync(CancellationToken.None);

        Assert.That(start.IsCompleted, Is.True, "the host's start does not wait for the storage");
        await registered.Task.WaitAsync(Patience);
        await registrar.ExecuteTask!.WaitAsync(Patience);
        Assert.That(calls, Is.EqualTo(3), "tried again after each failure, and no more once it succeeded");
        await registrar.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task StopAsync_EndsTheRetries_WhenTheStorageNeverAnswers()
    {
        var manager = new Mock<IRecurringJobManager>();
        var firstAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        manager
            .Setup(m => m.AddOrUpdateAsync(It.IsAny<string>(), It.IsAny<Job>(), It.IsAny<string>(), It.IsAny<RecurringJobOptions?>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                firstAttempt.TrySetResult();
                return Task.FromException(new InvalidOperationException("Failed to connect to 127.0.0.1:5432"));
            });
        using var registrar = CreateSut(manager.Object, firstRetryDelay: TimeSpan.FromHours(1));
        await registrar.StartAsync(CancellationToken.None);
        await firstAttempt.Task.WaitAsync(Patience);

        await registrar.StopAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.That(registrar.ExecuteTask!.IsCompletedSuccessfully, Is.True, "the retry loop ended quietly on stop");
    }

    [Test]
    public void Describe_NamesTheTypeAndEveryMessage_WhenTheFailureHasInnerExceptions()
    {
        var failure = new InvalidOperationException("Failed to connect to 127.0.0.1:5432", new IOException("Connection refused"));

        Assert.That(RecurringTaskRegistrar.Describe(failure), Is.EqualTo("InvalidOperationException: Failed to connect to 127.0.0.1:5432 (Connection refused)"));
    }

    private static RecurringTaskRegistrar CreateSut(IRecurringJobManager manager, TimeSpan? firstRetryDelay = null) =>
        new(RecurringTaskCatalog.FromTypes([typeof(CleanupExpiredSessionsTask)]), manager, NullLogger<RecurringTaskRegistrar>.Instance)
        {
            FirstRetryDelay = firstRetryDelay ?? TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
}
