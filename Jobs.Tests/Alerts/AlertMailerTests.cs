using System.Net.Mail;
using Jobs.Server.Alerts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Polly.CircuitBreaker;

namespace Jobs.Tests.Alerts;

public sealed class AlertMailerTests
{
    private static readonly EmailMessage Message = new("subject", "text", "<p>html</p>");

    [Test]
    public async Task SendAsync_Retries_ATransientSmtpError()
    {
        var sender = new Mock<IEmailSender>();
        sender.SetupSequence(s => s.SendAsync(Message, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SmtpException(SmtpStatusCode.ServiceNotAvailable, "busy"))
            .Returns(Task.CompletedTask);

        await CreateSut(sender.Object).SendAsync(Message, CancellationToken.None);

        sender.Verify(s => s.SendAsync(Message, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public void SendAsync_Throws_WhenEveryRetryFailed()
    {
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(Message, It.IsAny<CancellationToken>())).ThrowsAsync(new SmtpException("refused"));

        Assert.That(async () => await CreateSut(sender.Object).SendAsync(Message, CancellationToken.None), Throws.TypeOf<SmtpException>());
        sender.Verify(s => s.SendAsync(Message, It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Test]
    public async Task SendAsync_StopsCallingTheServer_WhileTheCircuitIsOpen()
    {
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(Message, It.IsAny<CancellationToken>())).ThrowsAsync(new SmtpException("refused"));
        var sut = CreateSut(sender.Object, retries: 0);
        for (var i = 0; i < 4; i++)
        {
            Assert.That(async () => await sut.SendAsync(Message, CancellationToken.None), Throws.TypeOf<SmtpException>());
        }

        Assert.That(async () => await sut.SendAsync(Message, CancellationToken.None), Throws.TypeOf<BrokenCircuitException>());
        sender.Verify(s => s.SendAsync(Message, It.IsAny<CancellationToken>()), Times.Exactly(4));
        await Task.CompletedTask;
    }

    [Test]
    public void SendAsync_DoesNotRetry_AnErrorThatIsNotTransient()
    {
        var sender = new Mock<IEmailSender>();
        sender.Setup(s => s.SendAsync(Message, It.IsAny<CancellationToken>())).ThrowsAsync(new FormatException("bad address"));

        Assert.That(async () => await CreateSut(sender.Object).SendAsync(Message, CancellationToken.None), Throws.TypeOf<FormatException>());
        sender.Verify(s => s.SendAsync(Message, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task SendTestEmailAsync_SendsTheTestMessage_AtOnce()
    {
        await using var harness = new AlertHarness();
        var tester = harness.Services.GetService(typeof(AlertEmailTester)) as AlertEmailTester;

        var message = await tester!.SendTestEmailAsync(CancellationToken.None);

        Assert.That(harness.Sent, Is.EqualTo(new[] { message }));
        Assert.That(message.Subject, Is.EqualTo("[Jobs] Test e-mail"));
        Assert.That(message.TextBody, Does.Contain("smtp.example:25").And.Contain(AlertHarness.DashboardBaseUrl));
    }

    private static AlertMailer CreateSut(IEmailSender sender, int retries = 2) => new(
        sender,
        Options.Create(new AlertEmailOptions { SendRetries = retries, SendRetryDelay = TimeSpan.FromMilliseconds(1) }),
        TimeProvider.System,
        NullLogger<AlertMailer>.Instance);
}
