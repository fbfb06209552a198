using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="CleanupErrorLogsTask"/>, bound from <c>Tasks:cleanup-error-logs</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class CleanupErrorLogsOptions : ITaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + CleanupErrorLogsTask.Id;

    /// <summary>Npgsql connection string of the application database. Default: <c>ConnectionStrings:App</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The error log table, optionally schema-qualified; quoted, so case matters. Default: <c>error_logs</c>.</summary>
    public string TableName { get; set; } = "error_logs";

    /// <summary>The <c>timestamptz</c> column holding when each error was logged. Default: <c>created_at</c>.</summary>
    public string CreatedAtColumn { get; set; } = "created_at";

    /// <summary>Rows logged more than this many days ago are deleted (1 to 36500). Default: 30.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Rows deleted per statement, so no single transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static CleanupErrorLogsOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new CleanupErrorLogsOptions();
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
        OptionChecks.Column(problems, SectionName, nameof(CreatedAtColumn), CreatedAtColumn);
        OptionChecks.Range(problems, SectionName, nameof(RetentionDays), RetentionDays, 1, 36_500);
        OptionChecks.BatchSize(problems, SectionName, BatchSize);
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="FindProblems"/>.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(FindProblems());
}
