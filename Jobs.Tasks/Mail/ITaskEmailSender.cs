namespace Jobs.Tasks.Mail;

/// <summary>
/// How a task of the library sends e-mail. The host implements it with its mail server (Jobs.Server: the
/// SMTP settings of <c>Alerts:Email</c>), so the task library needs no mail settings or SMTP code of its own.
/// </summary>
public interface ITaskEmailSender
{
    /// <summary>Sends the e-mail, or throws when the mail server did not accept it or no mail server is configured.</summary>
    Task SendAsync(TaskEmail email, CancellationToken cancellationToken);
}
