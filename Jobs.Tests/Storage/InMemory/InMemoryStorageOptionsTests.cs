using Jobs.Storage.InMemory;

namespace Jobs.Tests.Storage.InMemory;

public sealed class InMemoryStorageOptionsTests
{
    [Test]
    public void Defaults_KeepFinishedJobsForOneDay()
    {
        var options = new InMemoryStorageOptions();

        Assert.That(options.JobRetention, Is.EqualTo(TimeSpan.FromDays(1)));
    }

    [Test]
    public void Validate_Throws_WhenRetentionIsNegative()
    {
        var options = new InMemoryStorageOptions { JobRetention = TimeSpan.FromSeconds(-1) };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain(nameof(InMemoryStorageOptions.JobRetention)));
    }
}
