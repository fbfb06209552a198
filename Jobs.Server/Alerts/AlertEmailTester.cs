using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>Sends a test e-mail with the configured settings, at once (not as a job), so a command can report success or the error.</summary>
internal sealed class AlertEmailTester
{
    private readonly AlertMailer _mailer;
    private readonly AlertEmailComposer _composer;
    private readonly IOptions<BackgroundJobServerOptions> _server;
    private readonly TimeProvider _time;

    public AlertEmailTester(AlertMailer mailer, AlertEmailComposer composer, IOptions<BackgroundJobServerOptions> server, TimeProvider time)
    {
        _mailer = mailer;
        _composer = composer;
        _server = server;
        _time = time;
    }

    /// <summary>Sends the test e-mail; throws the mail server's error when it cannot be sent.</summary>
    public async Task<EmailMessage> SendTestEmailAsync(CancellationToken cancellationToken)
    {
        var message = _composer.Test(_server.Value.ServerName, _time.GetUtcNow());
        await _mailer.SendAsync(message, cancellationToken);
        return message;
    }
}
