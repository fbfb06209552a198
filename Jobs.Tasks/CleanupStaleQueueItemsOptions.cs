using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="CleanupStaleQueueItemsTask"/>, bound from <c>Tasks:cleanup-stale-queue-items</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class CleanupStaleQueueItemsOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + CleanupStaleQueueItemsTask.Id;

    private static readonly TimeSpan MaxStaleAfter = TimeSpan.FromDays(3_650);

    /// <summary>The documented defaults.</summary>
    public CleanupStaleQueueItemsOptions()
        : base(SectionName)
    {
    }

    /// <summary>The application's queue table, optionally schema-qualified; quoted, so case matters. Default: <c>queue_items</c>.</summary>
    public string TableName { get; set; } = "queue_items";

    /// <summary>The <c>text</c> column holding each item's status. Default: <c>status</c>.</summary>
    public string StatusColumn { get; set; } = "status";

    /// <summary>The <c>timestamptz</c> column holding when each item last changed. Default: <c>updated_at</c>.</summary>
    public string UpdatedAtColumn { get; set; } = "updated_at";

    /// <summary>
    /// The statuses of items still waiting or being worked on; only items in one of these can be stuck.
    /// Default: <c>pending</c>, <c>processing</c>. A configured list replaces the default.
    /// </summary>
    public string[] Statuses { get; set; } = ["pending", "processing"];

    /// <summary>Items in one of <see cref="Statuses"/> unchanged for longer than this are removed. Default: 24 hours.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Rows deleted per statement, so no single transaction holds many locks for long. Default: 10 000.</summary>
    public int BatchSize { get; set; } = 10_000;

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static CleanupStaleQueueItemsOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<CleanupStaleQueueItemsOptions>(configuration);

    private protected override void ClearDefaultsOfConfiguredLists(IConfigurationSection section)
    {
        if (section.GetSection(nameof(Statuses)).GetChildren().Any())
        {
            Statuses = [];
        }
    }

    private protected override void AddProblems(List<string> problems)
    {
        OptionChecks.Table(problems, SectionName, nameof(TableName), TableName);
        OptionChecks.Column(problems, SectionName, nameof(StatusColumn), StatusColumn);
        OptionChecks.Column(problems, SectionName, nameof(UpdatedAtColumn), UpdatedAtColumn);
        if (Statuses is null || Statuses.Length == 0 || Statuses.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"'{SectionName}:{nameof(Statuses)}' must list at least one status and no empty one, was [{string.Join(", ", Statuses ?? [])}].");
        }

        if (StaleAfter <= TimeSpan.Zero || StaleAfter > MaxStaleAfter)
        {
            problems.Add($"'{SectionName}:{nameof(StaleAfter)}' must be more than 00:00:00 and at most {MaxStaleAfter.Days} days, was {StaleAfter}.");
        }

        OptionChecks.BatchSize(problems, SectionName, BatchSize);
    }
}
