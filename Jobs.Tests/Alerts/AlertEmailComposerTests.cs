using Jobs.Server.Alerts;
using Microsoft.Extensions.Options;
using Moq;

namespace Jobs.Tests.Alerts;

public sealed class AlertEmailComposerTests
{
    private static readonly DateTimeOffset FailedAt = new(2030, 1, 15, 10, 30, 0, TimeSpan.Zero);

    [Test]
    public void Failure_HtmlEscapesEverythingFromTheJob()
    {
        var alert = Alert() with
        {
            Arguments = "[\"<img src=x onerror=alert(1)>\"]",
            ExceptionMessage = "Bad <script>alert('x')</script> & more",
            ExceptionDetails = "System.Exception: Bad <script>\n   at Foo.<Run>b__0()",
            Queue = "critical",
            ServerId = "host\"><b>1",
        };

        var mail = CreateSut().Failure(alert);

        Assert.Multiple(() =>
        {
            Assert.That(mail.HtmlBody, Does.Not.Contain("<script>").And.Not.Contain("<img").And.Not.Contain("<Run>").And.Not.Contain("\"><b>1"));
            Assert.That(mail.HtmlBody, Does.Contain("Bad &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
            Assert.That(mail.HtmlBody, Does.Contain("&lt;img src=x onerror=alert(1)&gt;"));
            Assert.That(mail.HtmlBody, Does.Contain("Foo.&lt;Run&gt;b__0()"));
            Assert.That(mail.TextBody, Does.Contain("Bad <script>alert('x')</script> & more"), "the text part keeps the message as it is");
        });
    }

    [Test]
    public void Failure_ContainsEveryField_InBothBodies()
    {
        var mail = CreateSut().Failure(Alert());

        foreach (var body in new[] { mail.TextBody, mail.HtmlBody })
        {
            Assert.That(body, Does.Contain("ReportTask.Build").And.Contain("Reports.ReportTask.Build(Int32)").And.Contain("reports")
                .And.Contain("[42]").And.Contain("11").And.Contain("System.InvalidOperationException").And.Contain("No data for report 42")
                .And.Contain("at Reports.ReportTask.Build").And.Contain("worker-1").And.Contain("2030-01-15 10:30:00 UTC")
                .And.Contain("http://host:5080/jobs/job/17").And.Contain("nightly-report"));
        }

        Assert.That(mail.Subject, Is.EqualTo("[Jobs] Failed: ReportTask.Build (job 17)"));
    }

    [Test]
    public void Failure_WritesTheTextBody_LineByLine()
    {
        var mail = CreateSut().Failure(Alert());

        Assert.That(mail.TextBody, Is.EqualTo("""
            Job 17 of ReportTask.Build failed after 11 attempts and will not be retried.

            Task:      ReportTask.Build (recurring job nightly-report)
            Method:    Reports.ReportTask.Build(Int32)
            Queue:     reports
            Arguments: [42]
            Attempts:  11
            Exception: System.InvalidOperationException
            Message:   No data for report 42
            Server:    worker-1
            Failed at: 2030-01-15 10:30:00 UTC
            Job:       http://host:5080/jobs/job/17

            Stack trace:
            System.InvalidOperationException: No data for report 42
               at Reports.ReportTask.Build(Int32 id)

            """.Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    [Test]
    public void Failure_KeepsTemplateSyntaxAndMarkupFromTheJobLiteral_EscapedOnlyInHtml()
    {
        var alert = Alert() with
        {
            ExceptionMessage = "<script>steal()</script> {{x}} {{> html-end}} {{#each Fields}}",
            ExceptionDetails = "at {{Intro}}",
        };

        var mail = CreateSut().Failure(alert);

        Assert.Multiple(() =>
        {
            Assert.That(mail.TextBody, Does.Contain("Message:   <script>steal()</script> {{x}} {{> html-end}} {{#each Fields}}"));
            Assert.That(mail.TextBody, Does.Contain("at {{Intro}}"));
            Assert.That(mail.HtmlBody, Does.Contain("<td>&lt;script&gt;steal()&lt;/script&gt; {{x}} {{&gt; html-end}} {{#each Fields}}</td>"));
            Assert.That(mail.HtmlBody, Does.Contain("<pre>at {{Intro}}</pre>"));
            Assert.That(mail.HtmlBody, Does.Not.Contain("<script>"));
            Assert.That(mail.HtmlBody.Split("</body></html>"), Has.Length.EqualTo(2), "the page ends once");
        });
    }

    [Test]
    public void JobLink_JoinsTheBaseUrlAndTheId_WithOneSlash()
    {
        var sut = CreateSut("http://host:5080/jobs/");

        Assert.That(sut.JobLink("a b"), Is.EqualTo("http://host:5080/jobs/job/a%20b"));
    }

    [Test]
    public void Digest_ListsAtMostTheLimit_AndSaysHowManyMore()
    {
        var failures = Enumerable.Range(1, AlertEmailComposer.MaxDigestEntries)
            .Select(i => new DigestFailure(i.ToString(System.Globalization.CultureInfo.InvariantCulture), FailedAt, "System.Exception", $"<fail {i}>", "s1"))
            .ToList();

        var mail = CreateSut().Digest("ReportTask.Build", FailedAt, FailedAt.AddMinutes(15), failures, 60);

        Assert.That(mail.Subject, Is.EqualTo("[Jobs] 60 more failures of ReportTask.Build"));
        Assert.That(mail.TextBody, Does.Contain("… and 10 more."));
        Assert.That(mail.HtmlBody, Does.Contain("&lt;fail 50&gt;").And.Not.Contain("<fail 50>"));
    }

    private static FailureAlert Alert() => new(
        "17",
        "ReportTask.Build",
        "Reports.ReportTask.Build(Int32)",
        "nightly-report",
        "reports",
        "[42]",
        11,
        "System.InvalidOperationException",
        "No data for report 42",
        "System.InvalidOperationException: No data for report 42\n   at Reports.ReportTask.Build(Int32 id)",
        "worker-1",
        FailedAt);

    private static AlertEmailComposer CreateSut(string dashboard = "http://host:5080/jobs")
    {
        var options = new AlertEmailOptions { DashboardBaseUrl = dashboard, Host = "smtp", From = "a@b.c" };
        return new AlertEmailComposer(Mock.Of<IOptionsMonitor<AlertEmailOptions>>(m => m.CurrentValue == options));
    }
}
