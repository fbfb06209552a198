using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="AggregateDailyStatsTask"/>, bound from <c>Tasks:aggregate-daily-stats</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class AggregateDailyStatsOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + AggregateDailyStatsTask.Id;

    /// <summary>The documented defaults.</summary>
    public AggregateDailyStatsOptions()
        : base(SectionName)
    {
    }

    /// <summary>
    /// The statistics table, optionally schema-qualified; quoted, so case matters. It needs the columns
    /// <c>day date</c> (primary key or unique), <c>new_users</c>, <c>sessions_created</c>, <c>audit_events</c> and
    /// <c>errors</c> (<c>bigint</c>), as <c>app-schema.sql</c> creates them. Default: <c>daily_stats</c>.
    /// </summary>
    public string TableName { get; set; } = "daily_stats";

    /// <summary>The table whose rows count as new users. Default: <c>users</c>.</summary>
    public string UsersTableName { get; set; } = "users";

    /// <summary>The table whose rows count as sessions created. Default: <c>sessions</c>.</summary>
    public string SessionsTableName { get; set; } = "sessions";

    /// <summary>The table whose rows count as audit events. Default: <c>audit_logs</c>.</summary>
    public string AuditLogsTableName { get; set; } = "audit_logs";

    /// <summary>The table whose rows count as errors. Default: <c>error_logs</c>.</summary>
    public string ErrorLogsTableName { get; set; } = "error_logs";

    /// <summary>The <c>timestamptz</c> column, in each of the four counted tables, saying when the row was created. Default: <c>created_at</c>.</summary>
    public string CreatedAtColumn { get; set; } = "created_at";

    /// <summary>
    /// The time zone whose calendar days are counted (IANA id). The same key sets the time zone of the task's cron,
    /// so "yesterday" is the day that just ended where the task is scheduled. Default: <c>UTC</c>.
    /// </summary>
    public string TimeZone { get; set; } = RecurringTaskDefinition.DefaultTimeZoneId;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static AggregateDailyStatsOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<AggregateDailyStatsOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Table(problems, SectionName, nameof(UsersTableName), UsersTableName);
        OptionChecks.Table(problems, SectionName, nameof(SessionsTableName), SessionsTableName);
        OptionChecks.Table(problems, SectionName, nameof(AuditLogsTableName), AuditLogsTableName);
        OptionChecks.Table(problems, SectionName, nameof(ErrorLogsTableName), ErrorLogsTableName);
        OptionChecks.Column(problems, SectionName, nameof(CreatedAtColumn), CreatedAtColumn);
        if (string.IsNullOrWhiteSpace(TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            problems.Add($"'{SectionName}:{nameof(TimeZone)}': time zone '{TimeZone}' is not known on this machine (use an IANA id such as 'Europe/Berlin').");
        }
    }
}
