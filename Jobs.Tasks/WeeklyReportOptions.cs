using System.Net.Mail;
using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="WeeklyReportTask"/>, bound from <c>Tasks:weekly-report</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed class WeeklyReportOptions : TaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + WeeklyReportTask.Id;

    /// <summary>The documented defaults.</summary>
    public WeeklyReportOptions()
        : base(SectionName)
    {
    }

    /// <summary>The recipients. Empty: the host's default recipients (Jobs.Server: <c>Alerts:Email:To</c>).</summary>
    public IList<string> To { get; set; } = [];

    /// <summary>The period the report covers: this many whole UTC days, ending with the day before the one it runs on. Default: 7.</summary>
    public int Days { get; set; } = 7;

    /// <summary>How many tasks the "slowest tasks" list names. Default: 5.</summary>
    public int SlowestTasks { get; set; } = 5;

    /// <summary>Binds <see cref="SectionName"/>.</summary>
    public static WeeklyReportOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<WeeklyReportOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        foreach (var address in To.Where(a => string.IsNullOrWhiteSpace(a) || !MailAddress.TryCreate(a, out _)))
        {
            problems.Add($"'{SectionName}:To' holds something that is not an e-mail address: '{address}'.");
        }

        OptionChecks.Range(problems, SectionName, nameof(Days), Days, 1, 366);
        OptionChecks.Range(problems, SectionName, nameof(SlowestTasks), SlowestTasks, 0, 100);
    }
}
