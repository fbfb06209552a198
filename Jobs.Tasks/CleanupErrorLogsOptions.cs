using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="CleanupErrorLogsTask"/>, bound from <c>Tasks:cleanup-error-logs</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class CleanupErrorLogsOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + CleanupErrorLogsTask.Id;

    /// <summary>The documented defaults.</summary>
    public CleanupErrorLogsOptions()
        : base(SectionName)
    {
    }

    /// <summary>The error log table, optionally schema-qualified; quoted, so case matters. Default: <c>error_logs</c>.</summary>
    public string TableName { get; set; } = "error_logs";

    /// <summary>The <c>timestamptz</c> column holding when each error was logged. Default: <c>created_at</c>.</summary>
    public string CreatedAtColumn { get; set; } = "created_at";

    /// <summary>Rows logged more than this many days ago are deleted (1 to 36500). Default: 30.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Rows deleted per statement, so no single transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static CleanupErrorLogsOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<CleanupErrorLogsOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Column(problems, SectionName, nameof(CreatedAtColumn), CreatedAtColumn);
        OptionChecks.RetentionDays(problems, SectionName, RetentionDays);
        OptionChecks.BatchSize(problems, SectionName, BatchSize);
    }
}
