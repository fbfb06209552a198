using System.Globalization;
using Jobs.Storage;
using Jobs.Tasks.Mail;

namespace Jobs.Tasks;

/// <summary>The weekly report's content for one period, rendered through the <c>weekly-report</c> mail templates.</summary>
internal sealed class WeeklyReport
{
    private static readonly MailTemplate Template =
        MailTemplate.FromResources(typeof(WeeklyReport).Assembly, "Jobs.Tasks.Mail.Templates.weekly-report");

    private readonly object _model;

    public WeeklyReport(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<TaskStatistics> tasks, int slowestTasks)
    {
        Runs = tasks.Sum(t => t.Runs);
        Failed = tasks.Sum(t => t.Failed);
        var succeeded = Runs - Failed;
        var lastDay = to.AddTicks(-1);
        Subject = string.Create(CultureInfo.InvariantCulture, $"[Jobs] Weekly report {Day(from)} to {Day(lastDay)}: {Runs} run{(Runs == 1 ? "" : "s")}, {Failed} failed");
        _model = new
        {
            Title = Subject,
            Intro = string.Create(
                CultureInfo.InvariantCulture,
                $"Jobs that finished from {Day(from)} to {Day(lastDay)} (whole days, UTC): {Runs} run{(Runs == 1 ? "" : "s")}, {succeeded} succeeded, {Failed} failed{(Runs == 0 ? "" : $" ({Rate((double)succeeded / Runs)} success rate)")}."),
            HasRuns = Runs > 0,
            Tasks = tasks
                .OrderByDescending(t => t.Failed)
                .ThenByDescending(t => t.Runs)
                .ThenBy(t => t.Task, StringComparer.Ordinal)
                .Select(Row)
                .ToList(),
            Failures = tasks
                .Where(t => t.Failed > 0)
                .OrderByDescending(t => t.Failed)
                .ThenBy(t => t.SuccessRate)
                .ThenBy(t => t.Task, StringComparer.Ordinal)
                .Select(Row)
                .ToList(),
            Slowest = tasks
                .Where(t => t.MaxDuration is not null)
                .OrderByDescending(t => t.MaxDuration)
                .ThenBy(t => t.Task, StringComparer.Ordinal)
                .Take(slowestTasks)
                .Select(Row)
                .ToList(),
        };
    }

    public string Subject { get; }

    public long Runs { get; }

    public long Failed { get; }

    public string RenderText() => Template.RenderText(_model);

    public string RenderHtml() => Template.RenderHtml(_model);

    private static object Row(TaskStatistics task) => new
    {
        Name = task.RecurringJobId is null ? task.Task : $"{task.Task} (recurring job {task.RecurringJobId})",
        Runs = task.Runs.ToString(CultureInfo.InvariantCulture),
        Succeeded = task.Succeeded.ToString(CultureInfo.InvariantCulture),
        Failed = task.Failed.ToString(CultureInfo.InvariantCulture),
        SuccessRate = Rate(task.SuccessRate),
        Average = Duration(task.AverageDuration),
        Longest = Duration(task.MaxDuration),
        SlowestJobId = task.SlowestJobId ?? "",
    };

    private static string Rate(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>Readable at a glance: "850 ms", "12.5 s", "4 min 05 s", "2 h 03 min"; "–" when nothing succeeded.</summary>
    internal static string Duration(TimeSpan? duration) => duration switch
    {
        null => "–",
        { TotalSeconds: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{(long)d.TotalMilliseconds} ms"),
        { TotalMinutes: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0} s"),
        { TotalHours: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes} min {d.Seconds:00} s"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{(long)d.TotalHours} h {d.Minutes:00} min"),
    };

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
