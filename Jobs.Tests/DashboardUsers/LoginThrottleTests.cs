using Jobs.Server.DashboardUsers;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.DashboardUsers;

[TestFixture]
public sealed class LoginThrottleTests
{
    private ManualTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new ManualTimeProvider();

    [Test]
    public void RecordFailure_LocksTheNameOut_AtTheThirdFailureInARow()
    {
        var sut = CreateSut();

        var first = sut.RecordFailure("ada");
        var second = sut.RecordFailure("ADA");
        var lockedBeforeThird = sut.IsLockedOut("ada", out _);
        var third = sut.RecordFailure("ada");

        Assert.That(new[] { first, second, lockedBeforeThird }, Is.All.False);
        Assert.That(third, Is.True);
        Assert.That(sut.IsLockedOut("Ada", out var remaining), Is.True);
        Assert.That(remaining, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(sut.IsLockedOut("val", out _), Is.False);
    }

    [Test]
    public void IsLockedOut_IsFalseAgain_WhenTheLockoutDurationHasPassed()
    {
        var sut = CreateSut();
        for (var i = 0; i < 3; i++)
        {
            sut.RecordFailure("ada");
        }

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.That(sut.IsLockedOut("ada", out _), Is.False);
        Assert.That(sut.RecordFailure("ada"), Is.False, "the count starts again after a lockout");
    }

    [Test]
    public void RecordFailure_ForgetsEarlierFailures_WhenTheLastOneIsOlderThanTheLockoutDuration()
    {
        var sut = CreateSut();
        sut.RecordFailure("ada");
        sut.RecordFailure("ada");

        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.That(sut.RecordFailure("ada"), Is.False);
        Assert.That(sut.IsLockedOut("ada", out _), Is.False);
    }

    [Test]
    public void RecordSuccess_ClearsTheCount()
    {
        var sut = CreateSut();
        sut.RecordFailure("ada");
        sut.RecordFailure("ada");

        sut.RecordSuccess("ada");

        Assert.That(sut.RecordFailure("ada"), Is.False);
    }

    private LoginThrottle CreateSut() =>
        new(Options.Create(new DashboardUsersOptions { MaxFailedLogins = 3, LockoutDuration = TimeSpan.FromMinutes(5) }), _time);
}
