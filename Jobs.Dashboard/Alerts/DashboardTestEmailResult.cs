namespace Jobs.Dashboard.Alerts;

/// <summary>What a test e-mail did: <paramref name="Sent"/>, and in words for the operator (the recipients, or the mail server's error).</summary>
public sealed record DashboardTestEmailResult(bool Sent, string Message);
