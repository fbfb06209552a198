namespace Jobs.Tests.Infrastructure;

public sealed class ManualTimeProviderTests
{
    [Test]
    public void GetUtcNow_MovesOnlyWithAdvance_WhenTimePasses()
    {
        var time = new ManualTimeProvider();

        var before = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(3));

        Assert.That(before, Is.EqualTo(ManualTimeProvider.DefaultStart));
        Assert.That(time.GetUtcNow(), Is.EqualTo(ManualTimeProvider.DefaultStart.AddMinutes(3)));
    }

    [Test]
    public async Task Advance_CompletesDelay_WhenItsTimeIsReached()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), time);

        time.Advance(TimeSpan.FromSeconds(9));
        var earlyDone = delay.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(earlyDone, Is.False);
        await delay.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Test]
    public void Advance_FiresPeriodicTimerOncePerPeriod_WhenSeveralPeriodsPass()
    {
        var time = new ManualTimeProvider();
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(3.5));

        Assert.That(fired, Is.EqualTo(3));
    }

    [Test]
    public void Advance_DoesNotFireTimer_WhenTimerWasDisposed()
    {
        var time = new ManualTimeProvider();
        var fired = false;
        var timer = time.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.That(fired, Is.False);
    }
}
