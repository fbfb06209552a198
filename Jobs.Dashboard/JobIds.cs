namespace Jobs.Dashboard;

/// <summary>What a job id or a recurring job id may look like in a dashboard address or form, so a malformed one gets a clear message.</summary>
internal static class JobIds
{
    private const int MaxLength = 100;

    public static bool IsWellFormedJobId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static bool IsWellFormedRecurringId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 200 && !id.Any(char.IsControl);
}
