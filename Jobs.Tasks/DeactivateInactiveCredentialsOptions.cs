using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="DeactivateInactiveCredentialsTask"/>, bound from <c>Tasks:deactivate-inactive-credentials</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class DeactivateInactiveCredentialsOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + DeactivateInactiveCredentialsTask.Id;

    /// <summary>The documented defaults.</summary>
    public DeactivateInactiveCredentialsOptions()
        : base(SectionName)
    {
    }

    /// <summary>The credentials table, optionally schema-qualified; quoted, so case matters. Default: <c>credentials</c>.</summary>
    public string TableName { get; set; } = "credentials";

    /// <summary>The <c>boolean</c> column that says whether a credential may be used. Default: <c>is_active</c>.</summary>
    public string ActiveColumn { get; set; } = "is_active";

    /// <summary>The <c>timestamptz</c> column with each credential's last use, null when never used. Default: <c>last_used_at</c>.</summary>
    public string LastUsedAtColumn { get; set; } = "last_used_at";

    /// <summary>The <c>timestamptz</c> column with each credential's creation, counted from when it was never used. Default: <c>created_at</c>.</summary>
    public string CreatedAtColumn { get; set; } = "created_at";

    /// <summary>
    /// A <c>timestamptz</c> column set to the time of the run on each credential deactivated; empty to set none.
    /// Default: <c>deactivated_at</c>.
    /// </summary>
    public string? DeactivatedAtColumn { get; set; } = "deactivated_at";

    /// <summary>Credentials unused for this many months (1 to 1200) are deactivated. Default: 6.</summary>
    public int InactiveMonths { get; set; } = 6;

    /// <summary>Rows updated per statement, so no single transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static DeactivateInactiveCredentialsOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<DeactivateInactiveCredentialsOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Column(problems, SectionName, nameof(ActiveColumn), ActiveColumn);
        OptionChecks.Column(problems, SectionName, nameof(LastUsedAtColumn), LastUsedAtColumn);
        OptionChecks.Column(problems, SectionName, nameof(CreatedAtColumn), CreatedAtColumn);
        if (!string.IsNullOrEmpty(DeactivatedAtColumn))
        {
            OptionChecks.Column(problems, SectionName, nameof(DeactivatedAtColumn), DeactivatedAtColumn);
        }

        OptionChecks.Range(problems, SectionName, nameof(InactiveMonths), InactiveMonths, 1, 1_200);
        OptionChecks.BatchSize(problems, SectionName, BatchSize);
    }
}
