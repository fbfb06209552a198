namespace Jobs.Tasks.Mail;

/// <summary>An e-mail a task sends: a plain-text and an HTML body of the same content.</summary>
/// <param name="To">The recipients; empty sends to the host's default recipients (the alert recipients of Jobs.Server).</param>
/// <param name="Subject">The subject line.</param>
/// <param name="TextBody">The text/plain part.</param>
/// <param name="HtmlBody">The text/html part.</param>
public sealed record TaskEmail(IReadOnlyList<string> To, string Subject, string TextBody, string HtmlBody);
