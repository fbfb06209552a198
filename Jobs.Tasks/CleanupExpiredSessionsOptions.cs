using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="CleanupExpiredSessionsTask"/>, bound from <c>Tasks:cleanup-expired-sessions</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class CleanupExpiredSessionsOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + CleanupExpiredSessionsTask.Id;

    /// <summary>Npgsql connection string of the application database. Default: <c>ConnectionStrings:App</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The sessions table, optionally schema-qualified (<c>app.sessions</c>); quoted, so case matters. Default: <c>sessions</c>.</summary>
    public string TableName { get; set; } = "sessions";

    /// <summary>The <c>timestamptz</c> column holding each session's expiry. Default: <c>expires_at</c>.</summary>
    public string ExpiresAtColumn { get; set; } = "expires_at";

    /// <summary>Rows deleted per statement, so no single transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static CleanupExpiredSessionsOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new CleanupExpiredSessionsOptions();
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
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"No connection string: set '{SectionName}:ConnectionString' or 'ConnectionStrings:App'.");
        }

        if (!SqlIdentifier.IsValidQualified(TableName))
        {
            problems.Add($"'{SectionName}:TableName' must be a table name or schema.table of letters, digits and '_' (up to 63 each, not starting with a digit), was '{TableName}'.");
        }

        if (!SqlIdentifier.IsValid(ExpiresAtColumn))
        {
            problems.Add($"'{SectionName}:ExpiresAtColumn' must be a column name of letters, digits and '_' (up to 63, not starting with a digit), was '{ExpiresAtColumn}'.");
        }

        if (BatchSize is < 1 or > 1_000_000)
        {
            problems.Add($"'{SectionName}:BatchSize' must be from 1 to 1000000, was {BatchSize}.");
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="FindProblems"/>.</summary>
    public void Validate()
    {
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
