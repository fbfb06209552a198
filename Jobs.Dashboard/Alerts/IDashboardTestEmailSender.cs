namespace Jobs.Dashboard.Alerts;

/// <summary>
/// Sends a test e-mail with the host's alert settings, for the dashboard's "Send test e-mail" button (on the Servers page,
/// for admins). Optional: the button is shown only when the host registers an implementation.
/// </summary>
public interface IDashboardTestEmailSender
{
    /// <summary>Sends the test e-mail at once (not as a job) and says where it went, or why it could not be sent; never throws for a mail error.</summary>
    Task<DashboardTestEmailResult> SendTestEmailAsync(CancellationToken cancellationToken);
}
