namespace Jobs.Tests.Recurring;

public sealed class RecurringJobOptionsTests
{
    [Test]
    public void Defaults_AreUtcNoQueueRunOnceNoOverlap()
    {
        var options = new RecurringJobOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.TimeZone, Is.EqualTo(TimeZoneInfo.Utc));
            Assert.That(options.TimeZoneId, Is.Null);
            Assert.That(options.Queue, Is.Null);
            Assert.That(options.MisfireHandling, Is.EqualTo(MisfireHandling.RunOnce));
            Assert.That(options.AllowOverlap, Is.False);
        });
    }

    [Test]
    public void TimeZone_ClearsTimeZoneId_WhenSet()
    {
        var options = new RecurringJobOptions { TimeZoneId = "Europe/Berlin" };

        options.TimeZone = TimeZoneInfo.Utc;

        Assert.That(options.TimeZoneId, Is.Null);
    }
}
