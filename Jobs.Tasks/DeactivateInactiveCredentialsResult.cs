namespace Jobs.Tasks;

/// <summary>What one run of <see cref="DeactivateInactiveCredentialsTask"/> did; stored with the succeeded job.</summary>
/// <param name="CredentialsDeactivated">Active credentials this run marked inactive (0 when another run got there first).</param>
/// <param name="Batches">UPDATE statements that changed at least one row.</param>
/// <param name="UnusedSince">The cut-off: credentials last used (or, never used, created) before this instant were deactivated.</param>
public sealed record DeactivateInactiveCredentialsResult(long CredentialsDeactivated, int Batches, DateTimeOffset UnusedSince);
