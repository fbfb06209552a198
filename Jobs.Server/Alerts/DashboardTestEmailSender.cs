using System.Net.Mail;
using System.Net.Sockets;
using Jobs.Dashboard.Alerts;
using Jobs.Server.Commands;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>
/// The dashboard's "Send test e-mail": the alerts' test e-mail, straight to the mail server (no retries, outside the
/// alerts' circuit breaker), so the operator gets the answer at once and a failed test never holds back real alerts.
/// </summary>
internal sealed class DashboardTestEmailSender : IDashboardTestEmailSender
{
    private readonly IEmailSender _sender;
    private readonly AlertEmailComposer _composer;
    private readonly IOptions<AlertEmailOptions> _alerts;
    private readonly IOptions<BackgroundJobServerOptions> _server;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardTestEmailSender> _logger;

    public DashboardTestEmailSender(
        IEmailSender sender,
        AlertEmailComposer composer,
        IOptions<AlertEmailOptions> alerts,
        IOptions<BackgroundJobServerOptions> server,
        TimeProvider time,
        ILogger<DashboardTestEmailSender> logger)
    {
        _sender = sender;
        _composer = composer;
        _alerts = alerts;
        _server = server;
        _time = time;
        _logger = logger;
    }

    public async Task<DashboardTestEmailResult> SendTestEmailAsync(CancellationToken cancellationToken)
    {
        var options = _alerts.Value;
        var recipients = string.Join(", ", options.To.Where(t => !string.IsNullOrWhiteSpace(t)));
        var message = _composer.Test(_server.Value.ServerName, _time.GetUtcNow());
        try
        {
            await _sender.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is SmtpException or IOException or SocketException or TimeoutException or InvalidOperationException)
        {
            AlertsLog.TestEmailFailed(_logger, ex, recipients, options.Host!, options.Port);
            return new DashboardTestEmailResult(false,
                $"The test e-mail to {recipients} could not be sent through {options.Host}:{options.Port} ({options.TlsMode}): {CommandErrors.Chain(ex)}");
        }

        AlertsLog.TestEmailSent(_logger, recipients, options.Host!, options.Port);
        return new DashboardTestEmailResult(true, $"Test e-mail \"{message.Subject}\" sent to {recipients} through {options.Host}:{options.Port}.");
    }
}
