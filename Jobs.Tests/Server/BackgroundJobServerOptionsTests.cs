namespace Jobs.Tests.Server;

public sealed class BackgroundJobServerOptionsTests
{
    [Test]
    public void Defaults_AreDocumentedValues_WhenCreated()
    {
        var options = new BackgroundJobServerOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.WorkerCount, Is.EqualTo(Math.Min(Environment.ProcessorCount * 5, 20)));
            Assert.That(options.Queues, Is.EqualTo(new[] { "default" }));
            Assert.That(options.ServerName, Is.EqualTo(Environment.MachineName));
            Assert.That(options.HeartbeatInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.ServerTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.ServerCheckInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.SchedulePollingInterval, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.QueuePollInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.ExpirationCheckInterval, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(options.RunSchedulers, Is.True);
            Assert.That(options.PrefetchCount, Is.Zero);
            Assert.DoesNotThrow(options.Validate);
        });
    }

    [TestCase(nameof(BackgroundJobServerOptions.WorkerCount))]
    [TestCase(nameof(BackgroundJobServerOptions.PrefetchCount))]
    [TestCase(nameof(BackgroundJobServerOptions.Queues))]
    [TestCase(nameof(BackgroundJobServerOptions.HeartbeatInterval))]
    [TestCase(nameof(BackgroundJobServerOptions.ServerTimeout))]
    public void Validate_NamesTheSetting_WhenItIsInvalid(string setting)
    {
        var options = new BackgroundJobServerOptions();
        switch (setting)
        {
            case nameof(BackgroundJobServerOptions.WorkerCount):
                options.WorkerCount = 0;
                break;
            case nameof(BackgroundJobServerOptions.PrefetchCount):
                options.PrefetchCount = -1;
                break;
            case nameof(BackgroundJobServerOptions.Queues):
                options.Queues = [];
                break;
            case nameof(BackgroundJobServerOptions.HeartbeatInterval):
                options.HeartbeatInterval = TimeSpan.Zero;
                break;
            default:
                options.ServerTimeout = options.HeartbeatInterval;
                break;
        }

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain(setting));
    }
}
