namespace Jobs.Tasks;

/// <summary>What one run of <see cref="WeeklyReportTask"/> reported; stored with the succeeded job.</summary>
/// <param name="From">Start of the period (inclusive): midnight UTC.</param>
/// <param name="To">End of the period (exclusive): midnight UTC starting the day the report ran.</param>
/// <param name="Tasks">Tasks with at least one finished run in the period.</param>
/// <param name="Runs">Finished runs of all tasks.</param>
/// <param name="Failed">Failed runs of all tasks.</param>
/// <param name="Subject">The subject of the e-mail sent.</param>
public sealed record WeeklyReportResult(DateTimeOffset From, DateTimeOffset To, int Tasks, long Runs, long Failed, string Subject);
