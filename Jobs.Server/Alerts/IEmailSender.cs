namespace Jobs.Server.Alerts;

/// <summary>Sends one e-mail to the configured recipients. Throws when the message could not be handed to the mail server.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
