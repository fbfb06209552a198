using System.Net.Mail;
using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="WeeklyReportTask"/>, bound from <c>Tasks:weekly-report</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class WeeklyReportOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + WeeklyReportTask.Id;

    /// <summary>The recipients. Empty: the host's default recipients (Jobs.Server: <c>Alerts:Email:To</c>).</summary>
    public IList<string> To { get; set; } = [];

    /// <summary>The period the report covers: this many whole UTC days, ending with the day before the one it runs on. Default: 7.</summary>
    public int Days { get; set; } = 7;

    /// <summary>How many tasks the "slowest tasks" list names. Default: 5.</summary>
    public int SlowestTasks { get; set; } = 5;

    /// <summary>Binds <see cref="SectionName"/>.</summary>
    public static WeeklyReportOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new WeeklyReportOptions();
        options.BindFrom(configuration);
        return options;
    }

    /// <summary>Applies <see cref="SectionName"/> to this instance.</summary>
    public void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(SectionName).Bind(this);
    }

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> FindProblems()
    {
        var problems = new List<string>();
        foreach (var address in To.Where(a => string.IsNullOrWhiteSpace(a) || !MailAddress.TryCreate(a, out _)))
        {
            problems.Add($"'{SectionName}:To' holds something that is not an e-mail address: '{address}'.");
        }

        if (Days is < 1 or > 366)
        {
            problems.Add($"'{SectionName}:Days' must be from 1 to 366, was {Days}.");
        }

        if (SlowestTasks is < 0 or > 100)
        {
            problems.Add($"'{SectionName}:SlowestTasks' must be from 0 to 100, was {SlowestTasks}.");
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
