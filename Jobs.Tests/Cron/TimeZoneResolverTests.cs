namespace Jobs.Tests.Cron;

public sealed class TimeZoneResolverTests
{
    [Test]
    public void Resolve_FindsZone_WhenIdIsIana()
    {
        Assert.That(TimeZoneResolver.Resolve("Europe/Berlin").Id, Is.EqualTo("Europe/Berlin"));
    }

    [Test]
    public void Resolve_FindsZone_WhenIdIsWindows()
    {
        var zone = TimeZoneResolver.Resolve("W. Europe Standard Time");

        Assert.Multiple(() =>
        {
            Assert.That(TimeZoneResolver.GetStableId(zone), Is.EqualTo("Europe/Berlin"));
            Assert.That(zone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)), Is.EqualTo(TimeSpan.FromHours(2)));
        });
    }

    [TestCase("UTC")]
    [TestCase("utc")]
    public void Resolve_ReturnsUtc_WhenIdIsUtc(string id)
    {
        Assert.That(TimeZoneResolver.Resolve(id), Is.EqualTo(TimeZoneInfo.Utc));
    }

    [TestCase("Mars/Olympus_Mons")]
    [TestCase("")]
    public void Resolve_ThrowsNamingTheId_WhenZoneIsUnknown(string id)
    {
        var ex = Assert.Throws<ArgumentException>(() => TimeZoneResolver.Resolve(id));

        Assert.That(ex!.Message, Does.Contain($"Time zone '{id}' was not found"));
    }
}
