using System.CommandLine;
using Jobs.Tasks;

namespace Jobs.Server.Commands;

/// <summary>
/// <c>trigger &lt;id&gt;</c>: enqueues a run of a recurring job now (its schedule stays) and prints the new job's id.
/// A task of the task library that no server has put on the schedule yet is put there first, as a server does at start.
/// </summary>
internal static class TriggerCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The recurring job's id, as 'list' shows it." };
        var command = new Command("trigger", "Enqueues a run of a recurring job now, without changing its schedule, and prints the new job id.")
        {
            id,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.GetRequiredValue(id), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string id, CancellationToken cancellationToken)
    {
        await using var context = CommandContext.Create(parseResult);
        var storage = context.RequireJobStorage();
        var manager = context.Services.GetRequiredService<IRecurringJobManager>();
        var jobId = await manager.TriggerAsync(id, cancellationToken);
        if (jobId is null)
        {
            var catalog = context.Services.GetRequiredService<RecurringTaskCatalog>();
            var task = catalog.Find(id);
            if (task is null)
            {
                var known = (await storage.Monitoring.GetRecurringJobsAsync(cancellationToken)).Select(r => r.Id)
                    .Concat(catalog.Definitions.Select(d => d.Id))
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                throw new CommandException(
                    $"There is no recurring job '{id}'. Known ids: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
            }

            if (!task.Enabled)
            {
                throw new CommandException(
                    $"The task '{task.Id}' is switched off by configuration ({RecurringTaskCatalog.ConfigurationSection}:{task.Id}:Enabled is false), so it is on no schedule.");
            }

            await RecurringTaskRegistrar.RegisterAsync(manager, task, cancellationToken);
            jobId = await manager.TriggerAsync(task.Id, cancellationToken)
                ?? throw new CommandException($"The recurring job '{task.Id}' was removed while it was being triggered.");
        }

        await context.Output.WriteLineAsync(jobId);
        return ExitCodes.Success;
    }
}
