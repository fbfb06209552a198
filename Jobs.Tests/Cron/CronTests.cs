namespace Jobs.Tests.Cron;

public sealed class CronTests
{
    // A Thursday.
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Helpers_ReturnExpressionsThatParse_WhenCalledWithDefaults()
    {
        var expressions = new[]
        {
            Jobs.Cron.Minutely(), Jobs.Cron.Hourly(), Jobs.Cron.Daily(), Jobs.Cron.Weekly(), Jobs.Cron.Monthly(), Jobs.Cron.Yearly(), Jobs.Cron.Never(),
        };

        Assert.That(expressions.Select(e => CronSchedule.TryParse(e, out _, out _)), Is.All.True);
    }

    [Test]
    public void Minutely_FiresEveryMinute_WhenParsed()
    {
        Assert.That(NextTwo(Jobs.Cron.Minutely()), Is.EqualTo(new[] { Start.AddMinutes(1), Start.AddMinutes(2) }));
    }

    [Test]
    public void Hourly_FiresAtTheGivenMinuteEveryHour_WhenMinuteIsGivenOrNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NextTwo(Jobs.Cron.Hourly()), Is.EqualTo(new[] { Start.AddHours(1), Start.AddHours(2) }));
            Assert.That(NextTwo(Jobs.Cron.Hourly(15)), Is.EqualTo(new[] { Start.AddMinutes(15), Start.AddMinutes(75) }));
        });
    }

    [Test]
    public void Daily_FiresAtTheGivenTimeEveryDay_WhenHourAndMinuteAreGivenOrNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NextTwo(Jobs.Cron.Daily()), Is.EqualTo(new[] { Start.AddDays(1), Start.AddDays(2) }));
            Assert.That(NextTwo(Jobs.Cron.Daily(3)), Is.EqualTo(new[] { Start.AddHours(3), Start.AddHours(27) }));
            Assert.That(NextTwo(Jobs.Cron.Daily(3, 30)), Is.EqualTo(new[] { Start.AddHours(3.5), Start.AddHours(27.5) }));
        });
    }

    [Test]
    public void Weekly_FiresOnTheGivenDayEveryWeek_WhenDayIsGivenOrNot()
    {
        var monday = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var friday = new DateTimeOffset(2026, 1, 2, 9, 45, 0, TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(NextTwo(Jobs.Cron.Weekly()), Is.EqualTo(new[] { monday, monday.AddDays(7) }));
            Assert.That(NextTwo(Jobs.Cron.Weekly(DayOfWeek.Sunday)), Is.EqualTo(new[] { monday.AddDays(-1), monday.AddDays(6) }));
            Assert.That(NextTwo(Jobs.Cron.Weekly(DayOfWeek.Friday, 9, 45)), Is.EqualTo(new[] { friday, friday.AddDays(7) }));
        });
    }

    [Test]
    public void Monthly_FiresOnTheGivenDayEveryMonth_WhenDayIsGivenOrNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NextTwo(Jobs.Cron.Monthly()), Is.EqualTo(new[] { At(2026, 2, 1), At(2026, 3, 1) }));
            Assert.That(NextTwo(Jobs.Cron.Monthly(15, 6, 30)), Is.EqualTo(new[] { At(2026, 1, 15, 6, 30), At(2026, 2, 15, 6, 30) }));
            Assert.That(NextTwo(Jobs.Cron.Monthly(31)), Is.EqualTo(new[] { At(2026, 1, 31), At(2026, 3, 31) }));
        });
    }

    [Test]
    public void Yearly_FiresOnTheGivenDateEveryYear_WhenDateIsGivenOrNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NextTwo(Jobs.Cron.Yearly()), Is.EqualTo(new[] { At(2027, 1, 1), At(2028, 1, 1) }));
            Assert.That(NextTwo(Jobs.Cron.Yearly(6, 21, 12, 5)), Is.EqualTo(new[] { At(2026, 6, 21, 12, 5), At(2027, 6, 21, 12, 5) }));
        });
    }

    [Test]
    public void Never_ReturnsNoOccurrence_WhenParsed()
    {
        Assert.That(CronSchedule.Parse(Jobs.Cron.Never()).GetNextOccurrence(Start), Is.Null);
    }

    [Test]
    public void Helpers_ThrowNamingTheArgument_WhenValueIsOutOfRange()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Jobs.Cron.Hourly(60), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("minute"));
            Assert.That(() => Jobs.Cron.Daily(24), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("hour"));
            Assert.That(() => Jobs.Cron.Monthly(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("day"));
            Assert.That(() => Jobs.Cron.Yearly(13), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("month"));
            Assert.That(() => Jobs.Cron.Yearly(2, 30), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("never fire"));
            Assert.That(() => Jobs.Cron.Weekly((DayOfWeek)7), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    private static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DateTimeOffset[] NextTwo(string expression)
    {
        var schedule = CronSchedule.Parse(expression);
        var first = schedule.GetNextOccurrence(Start)!.Value;
        return [first, schedule.GetNextOccurrence(first)!.Value];
    }
}
