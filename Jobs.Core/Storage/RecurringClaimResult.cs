namespace Jobs.Storage;

/// <summary>What came of a recurring claim; <see cref="JobId"/> is set when a job was created.</summary>
public sealed record RecurringClaimResult(RecurringClaimOutcome Outcome, string? JobId = null, string? Reason = null);
