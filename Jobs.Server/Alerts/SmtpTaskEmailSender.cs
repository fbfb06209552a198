using Jobs.Tasks.Mail;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>
/// Sends the task library's e-mails (such as the weekly report) through the host's <see cref="IEmailSender"/>
/// with the mail server of <c>Alerts:Email</c>; an e-mail without recipients goes to <c>Alerts:Email:To</c>.
/// Works whether alert e-mails are enabled or not: only the mail server settings are needed.
/// </summary>
internal sealed class SmtpTaskEmailSender : ITaskEmailSender
{
    private readonly IEmailSender _sender;
    private readonly IOptionsMonitor<AlertEmailOptions> _options;

    public SmtpTaskEmailSender(IEmailSender sender, IOptionsMonitor<AlertEmailOptions> options)
    {
        _sender = sender;
        _options = options;
    }

    public async Task SendAsync(TaskEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var options = _options.CurrentValue;
        if (string.IsNullOrWhiteSpace(options.Host) || string.IsNullOrWhiteSpace(options.From))
        {
            throw new InvalidOperationException(
                $"Cannot send '{email.Subject}': no mail server is configured. Set {AlertEmailOptions.SectionName}:Host and {AlertEmailOptions.SectionName}:From (the tasks' e-mails use the alert e-mail settings).");
        }

        var to = email.To.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (to.Count == 0)
        {
            to = options.To.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        }

        if (to.Count == 0)
        {
            throw new InvalidOperationException(
                $"Cannot send '{email.Subject}': it names no recipients and {AlertEmailOptions.SectionName}:To is empty. Set the task's To or {AlertEmailOptions.SectionName}:To.");
        }

        await _sender.SendAsync(new EmailMessage(email.Subject, email.TextBody, email.HtmlBody) { To = to }, cancellationToken);
    }
}
