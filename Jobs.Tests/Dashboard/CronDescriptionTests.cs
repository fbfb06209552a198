using Jobs.Dashboard;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class CronDescriptionTests
{
    [TestCase("* * * * *", "every minute")]
    [TestCase("*/5 * * * *", "every 5 minutes")]
    [TestCase("0 * * * *", "every hour")]
    [TestCase("15 * * * *", "every hour at minute 15")]
    [TestCase("0 3 * * *", "every day at 03:00")]
    [TestCase("30 22 * * 1-5", "every weekday at 22:30")]
    [TestCase("0 9 * * MON", "every Monday at 09:00")]
    [TestCase("0 9 * * 1,3", "every Monday, Wednesday at 09:00")]
    [TestCase("0 0 1 * *", "every month on day 1 at 00:00")]
    [TestCase("0 0 25 12 *", "every year on December 25 at 00:00")]
    [TestCase("0 */6 * * *", "every 6 hours")]
    [TestCase("*/10 * * * * *", "every 10 seconds")]
    [TestCase("0 0 3 * * *", "every day at 03:00")]
    [TestCase("5-10 3 * * *", "custom schedule")]
    public void Describe_SaysTheScheduleInWords_WhenTheCronIsCommon(string cron, string expected) =>
        Assert.That(CronDescription.Describe(cron), Is.EqualTo(expected));
}
