using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="DatabaseMaintenanceTask"/>, bound from <c>Tasks:database-maintenance</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class DatabaseMaintenanceOptions : ITaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + DatabaseMaintenanceTask.Id;

    /// <summary>Npgsql connection string of the application database. Default: <c>ConnectionStrings:App</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The tables to vacuum and analyze, in this order, each optionally schema-qualified; quoted, so case matters.
    /// Default: the tables of <c>app-schema.sql</c> the other tasks churn. A configured list replaces the default.
    /// </summary>
    public string[] Tables { get; set; } =
        ["sessions", "users", "audit_logs", "audit_logs_archive", "error_logs", "credentials", "queue_items", "daily_stats"];

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static DatabaseMaintenanceOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DatabaseMaintenanceOptions();
        options.BindFrom(configuration);
        return options;
    }

    /// <summary>Applies <see cref="SectionName"/> and the <c>ConnectionStrings:App</c> fallback to this instance.</summary>
    public void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);

        // The binder appends configured array items to the ones already there; a configured list replaces the default.
        if (section.GetSection(nameof(Tables)).GetChildren().Any())
        {
            Tables = [];
        }

        section.Bind(this);
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
        if (Tables is null || Tables.Length == 0)
        {
            problems.Add($"'{SectionName}:{nameof(Tables)}' must list at least one table.");
        }
        else
        {
            for (var i = 0; i < Tables.Length; i++)
            {
                OptionChecks.Table(problems, SectionName, $"{nameof(Tables)}:{i}", Tables[i]);
            }
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="FindProblems"/>.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(FindProblems());
}
