namespace Jobs.Server.Alerts;

/// <summary>Sends one e-mail to its recipients (<see cref="EmailMessage.To"/>, else the configured ones). Throws when the message could not be handed to the mail server.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
