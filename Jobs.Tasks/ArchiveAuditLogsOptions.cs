using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="ArchiveAuditLogsTask"/>, bound from <c>Tasks:archive-audit-logs</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class ArchiveAuditLogsOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + ArchiveAuditLogsTask.Id;

    /// <summary>The documented defaults.</summary>
    public ArchiveAuditLogsOptions()
        : base(SectionName)
    {
    }

    /// <summary>The audit log table, optionally schema-qualified; quoted, so case matters. Default: <c>audit_logs</c>.</summary>
    public string TableName { get; set; } = "audit_logs";

    /// <summary>
    /// The table the old rows move to; it must have every column of <see cref="TableName"/> (matched by name) and
    /// may have more with defaults. Default: <c>audit_logs_archive</c>.
    /// </summary>
    public string ArchiveTableName { get; set; } = "audit_logs_archive";

    /// <summary>The <c>timestamptz</c> column holding when each audit event happened. Default: <c>created_at</c>.</summary>
    public string CreatedAtColumn { get; set; } = "created_at";

    /// <summary>Rows older than this many days (1 to 36500) are archived. Default: 90.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Rows moved per statement (one transaction each), so no transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static ArchiveAuditLogsOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<ArchiveAuditLogsOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Table(problems, SectionName, nameof(ArchiveTableName), ArchiveTableName);
        if (string.Equals(TableName, ArchiveTableName, StringComparison.Ordinal))
        {
            problems.Add($"'{SectionName}:{nameof(ArchiveTableName)}' must differ from ':{nameof(TableName)}', both were '{TableName}'.");
        }

        OptionChecks.Column(problems, SectionName, nameof(CreatedAtColumn), CreatedAtColumn);
        OptionChecks.RetentionDays(problems, SectionName, RetentionDays);
        OptionChecks.BatchSize(problems, SectionName, BatchSize);
    }
}
