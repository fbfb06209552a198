using Jobs.Tasks;
using Jobs.Tasks.Mail;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Jobs.Tests.Tasks;

public sealed class WeeklyReportTaskTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 9, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The week reported on Monday: Monday 2026-03-02 to Sunday 2026-03-08, whole UTC days.</summary>
    private static readonly (DateTimeOffset From, DateTimeOffset To) Week = (new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero));

    private WeeklyReportStorage _jobs = null!;
    private readonly List<TaskEmail> _sent = [];
    private Mock<ITaskEmailSender> _sender = null!;

    [SetUp]
    public async Task SetUp()
    {
        _jobs = await WeeklyReportStorage.CreateAsync(Monday.AddDays(-30));
        _sent.Clear();
        _sender = new Mock<ITaskEmailSender>(MockBehavior.Strict);
        _sender.Setup(s => s.SendAsync(It.IsAny<TaskEmail>(), It.IsAny<CancellationToken>()))
            .Callback<TaskEmail, CancellationToken>((email, _) => _sent.Add(email))
            .Returns(Task.CompletedTask);
    }

    [TearDown]
    public async Task TearDown() => await _jobs.DisposeAsync();

    [Test]
    public async Task RunAsync_MailsRunsFailuresSlowestAndSuccessRatePerTask_ForThePastSevenDays()
    {
        await _jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-8), TimeSpan.FromHours(5));   // last week: not counted
        await _jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-6), TimeSpan.FromMilliseconds(800));
        await _jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-5), TimeSpan.FromMilliseconds(1200));
        var slowImport = await _jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-4), TimeSpan.FromMinutes(4).Add(TimeSpan.FromSeconds(5)));
        await _jobs.FailedAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-3));
        await _jobs.SucceededAsync(WeeklyReportSampleJob.Export(), Monday.AddDays(-2), TimeSpan.FromMilliseconds(250));
        await _jobs.SucceededAsync(WeeklyReportSampleJob.Export(), Monday.AddHours(-1), TimeSpan.FromHours(3));   // today: next week's report

        var result = await CreateSut(o => o.To = ["admins@example.com", "boss@example.com"]).RunAsync(CancellationToken.None);

        var email = _sent.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new WeeklyReportResult(Week.From, Week.To, 2, 5, 1, email.Subject)));
            Assert.That(email.To, Is.EqualTo(new[] { "admins@example.com", "boss@example.com" }));
            Assert.That(email.Subject, Is.EqualTo("[Jobs] Weekly report 2026-03-02 to 2026-03-08: 5 runs, 1 failed"));
            Assert.That(email.TextBody, Does.StartWith("Jobs that finished from 2026-03-02 to 2026-03-08 (whole days, UTC): 5 runs, 4 succeeded, 1 failed (80.0 % success rate)."));
            Assert.That(email.TextBody, Does.Contain(
                "- WeeklyReportSampleJob.ImportOrders: 4 runs, 3 succeeded, 1 failed, 75.0 %, average 1 min 22 s, longest 4 min 05 s\n" +
                "- WeeklyReportSampleJob.ExportInvoices: 1 runs, 1 succeeded, 0 failed, 100.0 %, average 250 ms, longest 250 ms\n"));
            Assert.That(email.TextBody, Does.Contain("Failures:\n- WeeklyReportSampleJob.ImportOrders: 1 of 4 runs failed (75.0 % success rate)\n"));
            Assert.That(email.TextBody, Does.Contain(
                "Slowest tasks (longest succeeded run):\n" +
                $"- WeeklyReportSampleJob.ImportOrders: 4 min 05 s (job {slowImport}), average 1 min 22 s\n" +
                "- WeeklyReportSampleJob.ExportInvoices: 250 ms"));
            Assert.That(email.TextBody, Does.Not.Contain("5 h").And.Not.Contain("3 h"), "runs before and after the period are left out");
            Assert.That(email.HtmlBody, Does.Contain("<tr><td>WeeklyReportSampleJob.ImportOrders</td><td align=\"right\">4</td><td align=\"right\">3</td><td align=\"right\">1</td><td align=\"right\">75.0 %</td>"));
            Assert.That(email.HtmlBody, Does.Contain($"<td>{slowImport}</td>"));
            Assert.That(email.HtmlBody, Does.StartWith("<!DOCTYPE html>").And.EndWith("</body></html>\n"));
        });
    }

    [Test]
    public async Task RunAsync_SaysNothingFinished_AndSendsToTheDefaultRecipients_WhenThePeriodIsEmpty()
    {
        await _jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-20), TimeSpan.FromSeconds(1));

        var result = await CreateSut(_ => { }).RunAsync(CancellationToken.None);

        var email = _sent.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Runs, Is.Zero);
            Assert.That(email.To, Is.Empty, "the host's default recipients");
            Assert.That(email.Subject, Is.EqualTo("[Jobs] Weekly report 2026-03-02 to 2026-03-08: 0 runs, 0 failed"));
            Assert.That(email.TextBody, Does.Contain("No jobs finished in this period.").And.Not.Contain("Failures:"));
            Assert.That(email.HtmlBody, Does.Contain("<p>No jobs finished in this period.</p>"));
        });
    }

    [TestCase(false, TestName = "{m}(InMemory)")]
    [TestCase(true, TestName = "{m}(PostgreSql)")]
    public async Task RunAsync_CountsEveryRunOfTheWeekOnce_WhenMostOfItsJobsHaveExpired(bool postgreSql)
    {
        await using var jobs = await WeeklyReportStorage.CreateAsync(Monday.AddDays(-30), postgreSql);
        await jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-8), TimeSpan.FromHours(5));   // last week: not counted
        await jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-7), TimeSpan.FromMilliseconds(800));
        await jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-5), TimeSpan.FromMilliseconds(1200));
        await jobs.SucceededAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-4), TimeSpan.FromMinutes(4).Add(TimeSpan.FromSeconds(5)));
        await jobs.FailedAsync(WeeklyReportSampleJob.Import(), Monday.AddDays(-3));
        await jobs.SucceededAsync(WeeklyReportSampleJob.Export(), Monday.AddDays(-2), TimeSpan.FromMilliseconds(250));
        var lastExport = await jobs.SucceededAsync(WeeklyReportSampleJob.Export(), Monday.AddHours(-10), TimeSpan.FromSeconds(2));   // Sunday 23:00
        await jobs.SucceededAsync(WeeklyReportSampleJob.Export(), Monday.AddHours(-1), TimeSpan.FromHours(3));   // today: next week's report

        // A server's expiration with the default retention of a day: every succeeded run before Sunday 09:00 is gone.
        var expired = await jobs.ExpireAsync(Monday);
        var result = await new WeeklyReportTask(
            jobs.Storage, _sender.Object, Options.Create(new WeeklyReportOptions()), new FixedTimeProvider(Monday), NullLogger<WeeklyReportTask>.Instance)
            .RunAsync(CancellationToken.None);

        var email = _sent.Single();
        Assert.Multiple(() =>
        {
            Assert.That(expired, Is.EqualTo(5));
            Assert.That((result.Tasks, result.Runs, result.Failed), Is.EqualTo((2, 6L, 1L)));
            Assert.That(email.Subject, Is.EqualTo("[Jobs] Weekly report 2026-03-02 to 2026-03-08: 6 runs, 1 failed"));
            Assert.That(email.TextBody, Does.StartWith("Jobs that finished from 2026-03-02 to 2026-03-08 (whole days, UTC): 6 runs, 5 succeeded, 1 failed (83.3 % success rate)."));
            Assert.That(email.TextBody, Does.Contain(
                "- WeeklyReportSampleJob.ImportOrders: 4 runs, 3 succeeded, 1 failed, 75.0 %, average 1 min 22 s, longest 4 min 05 s\n" +
                "- WeeklyReportSampleJob.ExportInvoices: 2 runs, 2 succeeded, 0 failed, 100.0 %, average 1.1 s, longest 2.0 s\n"));
            Assert.That(email.TextBody, Does.Contain(
                "Slowest tasks (longest succeeded run):\n" +
                "- WeeklyReportSampleJob.ImportOrders: 4 min 05 s (job expired), average 1 min 22 s\n" +
                $"- WeeklyReportSampleJob.ExportInvoices: 2.0 s (job {lastExport}), average 1.1 s"));
            Assert.That(email.TextBody, Does.Not.Contain("5 h").And.Not.Contain("3 h"), "runs before and after the period are left out");
            Assert.That(email.HtmlBody, Does.Contain("<td align=\"right\">4 min 05 s</td><td>expired</td>"));
            Assert.That(email.HtmlBody, Does.Contain($"<td align=\"right\">2.0 s</td><td>{lastExport}</td>"));
        });
    }

    [Test]
    public void RunAsync_ThrowsNamingTheKey_WhenARecipientIsNoAddress()
    {
        var sut = CreateSut(o => o.To = ["not an address"]);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:weekly-report:To'").And.Contain("'not an address'"));
        Assert.That(_sent, Is.Empty);
    }

    [Test]
    public void Duration_IsReadableAtAGlance()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WeeklyReport.Duration(null), Is.EqualTo("–"));
            Assert.That(WeeklyReport.Duration(TimeSpan.FromMilliseconds(999)), Is.EqualTo("999 ms"));
            Assert.That(WeeklyReport.Duration(TimeSpan.FromSeconds(12.46)), Is.EqualTo("12.5 s"));
            Assert.That(WeeklyReport.Duration(TimeSpan.FromSeconds(245)), Is.EqualTo("4 min 05 s"));
            Assert.That(WeeklyReport.Duration(TimeSpan.FromMinutes(123)), Is.EqualTo("2 h 03 min"));
            Assert.That(WeeklyReport.Duration(TimeSpan.FromDays(2)), Is.EqualTo("48 h 00 min"));
        });
    }

    private WeeklyReportTask CreateSut(Action<WeeklyReportOptions> configure)
    {
        var options = new WeeklyReportOptions();
        configure(options);
        return new WeeklyReportTask(_jobs.Storage, _sender.Object, Options.Create(options), new FixedTimeProvider(Monday), NullLogger<WeeklyReportTask>.Instance);
    }
}
