namespace Jobs.Server.Alerts;

/// <summary>An e-mail with a plain-text and an HTML body (sent as multipart/alternative).</summary>
public sealed record EmailMessage(string Subject, string TextBody, string HtmlBody)
{
    /// <summary>The recipients; null sends to <c>Alerts:Email:To</c>.</summary>
    public IReadOnlyList<string>? To { get; init; }
}
