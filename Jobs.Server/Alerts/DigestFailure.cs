namespace Jobs.Server.Alerts;

/// <summary>One failure listed in a digest e-mail, as read back from the job storage.</summary>
internal sealed record DigestFailure(string JobId, DateTimeOffset FailedAt, string ExceptionType, string ExceptionMessage, string? ServerId);
