using System.CommandLine;
using Jobs.Tasks;

namespace Jobs.Server.Commands;

/// <summary>
/// <c>list</c>: the recurring jobs with schedule, time zone, next run, last run and state, paused; the tasks of the task
/// library that are not on the schedule yet (a server puts them there at start) are listed too.
/// </summary>
internal static class ListCommand
{
    private const string NotRegistered = "(not registered)";
    private const string Disabled = "(disabled)";

    public static Command Create()
    {
        var json = CommandOutput.CreateJsonOption();
        var command = new Command("list", "Lists the recurring jobs and tasks: cron, time zone, next run, last run and its state, paused.")
        {
            json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, bool json, CancellationToken cancellationToken)
    {
        await using var context = CommandContext.Create(parseResult);
        var storage = context.RequireJobStorage();
        var catalog = context.Services.GetRequiredService<RecurringTaskCatalog>();
        var stored = await storage.Monitoring.GetRecurringJobsAsync(cancellationToken);

        var rows = new List<RecurringJobRow>();
        foreach (var job in stored)
        {
            var task = catalog.Find(job.Id);
            rows.Add(new RecurringJobRow(
                job.Id, job.Cron, job.TimeZoneId, job.Queue, job.Paused ? null : job.NextExecution, job.LastExecution,
                job.LastJobId, job.LastJobState, job.Paused, Registered: true, task?.TaskType.Name, task?.Enabled));
        }

        foreach (var task in catalog.Definitions.Where(t => !stored.Any(s => string.Equals(s.Id, t.Id, StringComparison.OrdinalIgnoreCase))))
        {
            rows.Add(new RecurringJobRow(
                task.Id, task.Cron, task.TimeZoneId, task.Queue, NextRun: null, LastRun: null, LastJobId: null, LastJobState: null,
                Paused: false, Registered: false, task.TaskType.Name, task.Enabled));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        if (json)
        {
            await CommandOutput.WriteJsonAsync(context.Output, rows);
            return ExitCodes.Success;
        }

        if (rows.Count == 0)
        {
            await context.Output.WriteLineAsync("No recurring jobs.");
            return ExitCodes.Success;
        }

        await TextTable.WriteAsync(
            context.Output,
            ["ID", "CRON", "TIME ZONE", "QUEUE", "NEXT RUN (UTC)", "LAST RUN (UTC)", "LAST JOB", "PAUSED"],
            [.. rows.Select(r => (IReadOnlyList<string>)
            [
                r.Id, r.Cron, r.TimeZone, r.Queue, NextRun(r), CommandOutput.Time(r.LastRun),
                r.LastJobId is null ? "-" : $"{r.LastJobId} {r.LastJobState ?? "(expired)"}",
                r.Registered ? (r.Paused ? "yes" : "no") : "-",
            ])]);
        if (rows.Any(r => !r.Registered))
        {
            await context.Output.WriteLineAsync();
            await context.Output.WriteLineAsync($"{NotRegistered}: a task of Jobs.Tasks that no server has put on the schedule yet; a server does at start ('trigger' does too).");
        }

        return ExitCodes.Success;
    }

    private static string NextRun(RecurringJobRow row) => row switch
    {
        { Registered: false, Enabled: false } => Disabled,
        { Registered: false } => NotRegistered,
        { Paused: true } => "(paused)",
        _ => CommandOutput.Time(row.NextRun),
    };
}
