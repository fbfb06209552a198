using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>
/// Sends through <see cref="SmtpClient"/>, one connection per message (alerts are rare). The bodies go
/// as two alternate views, text first: with <c>Body</c> set as HTML plus a view, SmtpClient would send
/// the HTML labelled as text/plain.
/// </summary>
internal sealed class SmtpEmailSender : IEmailSender
{
    private readonly IOptionsMonitor<AlertEmailOptions> _options;

    public SmtpEmailSender(IOptionsMonitor<AlertEmailOptions> options)
    {
        _options = options;
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var options = _options.CurrentValue;
        using var mail = CreateMailMessage(message, options);
        using var client = new SmtpClient(options.Host, options.Port)
        {
            EnableSsl = options.TlsMode == AlertTlsMode.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)Math.Min(options.SendTimeout.TotalMilliseconds, int.MaxValue),
        };
        if (!string.IsNullOrEmpty(options.User))
        {
            client.UseDefaultCredentials = false;
            client.Credentials = new NetworkCredential(options.User, options.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.SendTimeout);
        try
        {
            await client.SendMailAsync(mail, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server {options.Host}:{options.Port} did not accept the message within {options.SendTimeout}.");
        }
    }

    internal static MailMessage CreateMailMessage(EmailMessage message, AlertEmailOptions options)
    {
        var mail = new MailMessage
        {
            From = new MailAddress(options.From!),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        try
        {
            foreach (var to in (message.To ?? [.. options.To]).Where(t => !string.IsNullOrWhiteSpace(t)))
            {
                mail.To.Add(new MailAddress(to));
            }

            var text = AlternateView.CreateAlternateViewFromString(message.TextBody, Encoding.UTF8, MediaTypeNames.Text.Plain);
            text.TransferEncoding = TransferEncoding.QuotedPrintable;
            mail.AlternateViews.Add(text);
            var html = AlternateView.CreateAlternateViewFromString(message.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html);
            html.TransferEncoding = TransferEncoding.QuotedPrintable;
            mail.AlternateViews.Add(html);
            return mail;
        }
        catch
        {
            mail.Dispose();
            throw;
        }
    }
}
