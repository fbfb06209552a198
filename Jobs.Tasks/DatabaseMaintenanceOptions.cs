using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="DatabaseMaintenanceTask"/>, bound from <c>Tasks:database-maintenance</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class DatabaseMaintenanceOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + DatabaseMaintenanceTask.Id;

    /// <summary>The documented defaults.</summary>
    public DatabaseMaintenanceOptions()
        : base(SectionName)
    {
    }

    /// <summary>
    /// The tables to vacuum and analyze, in this order, each optionally schema-qualified; quoted, so case matters.
    /// Default: the tables of <c>app-schema.sql</c> the other tasks churn. A configured list replaces the default.
    /// </summary>
    public string[] Tables { get; set; } =
        ["sessions", "users", "audit_logs", "audit_logs_archive", "error_logs", "credentials", "queue_items", "daily_stats"];

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static DatabaseMaintenanceOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<DatabaseMaintenanceOptions>(configuration);

    private protected override void ClearDefaultsOfConfiguredLists(IConfigurationSection section)
    {
        if (section.GetSection(nameof(Tables)).GetChildren().Any())
        {
            Tables = [];
        }
    }

    private protected override void AddProblems(List<string> problems)
    {
        if (Tables is null || Tables.Length == 0)
        {
            problems.Add($"'{SectionName}:{nameof(Tables)}' must list at least one table.");
            return;
        }

        for (var i = 0; i < Tables.Length; i++)
        {
            OptionChecks.Table(problems, SectionName, $"{nameof(Tables)}:{i}", Tables[i]);
        }
    }
}
