using Jobs.Storage.InMemory;

namespace Jobs.Tests.Storage.InMemory;

public sealed class InMemoryStorageOptionsTests
{
    [Test]
    public void Defaults_KeepFinishedJobsForOneDayAndTheirDailyTaskFiguresFor400Days()
    {
        var options = new InMemoryStorageOptions();

        Assert.That(options.JobRetention, Is.EqualTo(TimeSpan.FromDays(1)));
        Assert.That(options.TaskStatisticsRetention, Is.EqualTo(TimeSpan.FromDays(400)));
        Assert.DoesNotThrow(options.Validate);
    }

    [Test]
    public void Validate_Throws_WhenRetentionIsNegative()
    {
        var options = new InMemoryStorageOptions { JobRetention = TimeSpan.FromSeconds(-1) };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain(nameof(InMemoryStorageOptions.JobRetention)));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(36_501)]
    public void Validate_Throws_WhenTaskStatisticsRetentionIsNotPositiveOrAbove100Years(int days)
    {
        var options = new InMemoryStorageOptions { TaskStatisticsRetention = TimeSpan.FromDays(days) };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain(nameof(InMemoryStorageOptions.TaskStatisticsRetention)));
    }
}
