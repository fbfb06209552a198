using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="CleanupExpiredSessionsTask"/>, bound from <c>Tasks:cleanup-expired-sessions</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class CleanupExpiredSessionsOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + CleanupExpiredSessionsTask.Id;

    /// <summary>The documented defaults.</summary>
    public CleanupExpiredSessionsOptions()
        : base(SectionName)
    {
    }

    /// <summary>The sessions table, optionally schema-qualified (<c>app.sessions</c>); quoted, so case matters. Default: <c>sessions</c>.</summary>
    public string TableName { get; set; } = "sessions";

    /// <summary>The <c>timestamptz</c> column holding each session's expiry. Default: <c>expires_at</c>.</summary>
    public string ExpiresAtColumn { get; set; } = "expires_at";

    /// <summary>Rows deleted per statement, so no single transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static CleanupExpiredSessionsOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<CleanupExpiredSessionsOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Column(problems, SectionName, nameof(ExpiresAtColumn), ExpiresAtColumn);
        OptionChecks.BatchSize(problems, SectionName, BatchSize);
    }
}
