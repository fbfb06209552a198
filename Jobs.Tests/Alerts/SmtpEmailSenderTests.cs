using Jobs.Server.Alerts;

namespace Jobs.Tests.Alerts;

public sealed class SmtpEmailSenderTests
{
    [Test]
    public void CreateMailMessage_SendsTextThenHtml_AsAlternateViews_WithAnEmptyBody()
    {
        var options = new AlertEmailOptions { From = "jobs@example.com", To = ["a@example.com", " ", "b@example.com"] };

        using var mail = SmtpEmailSender.CreateMailMessage(new EmailMessage("Subject ä", "plain", "<p>html</p>"), options);

        Assert.Multiple(() =>
        {
            Assert.That(mail.Body, Is.Empty, "a Body next to alternate views would be sent as the wrong part");
            Assert.That(mail.IsBodyHtml, Is.False);
            Assert.That(mail.AlternateViews.Select(v => v.ContentType.MediaType), Is.EqualTo(new[] { "text/plain", "text/html" }));
            Assert.That(mail.To.Select(t => t.Address), Is.EqualTo(new[] { "a@example.com", "b@example.com" }));
            Assert.That(mail.From!.Address, Is.EqualTo("jobs@example.com"));
            Assert.That(mail.Subject, Is.EqualTo("Subject ä"));
        });
    }
}
