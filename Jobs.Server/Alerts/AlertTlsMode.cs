namespace Jobs.Server.Alerts;

/// <summary>How the SMTP connection is secured. <c>System.Net.Mail.SmtpClient</c> speaks STARTTLS only, so implicit TLS (port 465) is not offered.</summary>
public enum AlertTlsMode
{
    /// <summary>Plain SMTP, for a relay on the same host or network.</summary>
    None,

    /// <summary>Upgrades the connection with STARTTLS (usually port 587); the send fails when the server does not offer it.</summary>
    StartTls,
}
