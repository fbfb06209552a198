using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="ArchiveAuditLogsTask"/>, bound from <c>Tasks:archive-audit-logs</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class ArchiveAuditLogsOptions : ITaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + ArchiveAuditLogsTask.Id;

    /// <summary>Npgsql connection string of the application database. Default: <c>ConnectionStrings:App</c>.</summary>
    public string? ConnectionString { get; set; }

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
    public static ArchiveAuditLogsOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ArchiveAuditLogsOptions();
        options.BindFrom(configuration);
        return options;
    }

    /// <summary>Applies <see cref="SectionName"/> and the <c>ConnectionStrings:App</c> fallback to this instance.</summary>
    public void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(SectionName).Bind(this);
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            ConnectionString = configuration.GetConnectionString("App");
        }
    }

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> FindProblems()
    {
        var problems = new List<string>();
        OptionChecks.ConnectionString(problems, SectionName, ConnectionString);
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Table(problems, SectionName, nameof(ArchiveTableName), ArchiveTableName);
        if (string.Equals(TableName, ArchiveTableName, StringComparison.Ordinal))
        {
            problems.Add($"'{SectionName}:{nameof(ArchiveTableName)}' must differ from ':{nameof(TableName)}', both were '{TableName}'.");
        }

        OptionChecks.Column(problems, SectionName, nameof(CreatedAtColumn), CreatedAtColumn);
        OptionChecks.Range(problems, SectionName, nameof(RetentionDays), RetentionDays, 1, 36_500);
        OptionChecks.BatchSize(problems, SectionName, BatchSize);
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="FindProblems"/>.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(FindProblems());
}
