namespace Jobs.Server.Alerts;

/// <summary>What an alert e-mail says about one finally failed job; the argument of <see cref="AlertEmailJob.SendFailureAsync"/>.</summary>
/// <param name="Task">The key alerts are grouped by: type and method, such as <c>ReportTask.Build</c>.</param>
/// <param name="Method">The full type name and the method.</param>
/// <param name="Attempts">How many times the job ran (the first attempt plus its retries).</param>
internal sealed record FailureAlert(
    string JobId,
    string Task,
    string Method,
    string? RecurringJobId,
    string Queue,
    string Arguments,
    int Attempts,
    string ExceptionType,
    string ExceptionMessage,
    string ExceptionDetails,
    string? ServerId,
    DateTimeOffset FailedAt);
