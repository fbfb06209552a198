namespace Jobs.Storage;

/// <summary>One row of a job list.</summary>
/// <param name="DisplayName">Type and method, such as <c>ReportTask.Build</c>.</param>
/// <param name="StateData">The current state's data (exception message, enqueue time, duration, server…).</param>
public sealed record JobSummary(
    string Id,
    string DisplayName,
    string Queue,
    string StateName,
    string? StateReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset StateChangedAt,
    IReadOnlyDictionary<string, string> StateData,
    int RetryCount,
    string? RecurringJobId);
