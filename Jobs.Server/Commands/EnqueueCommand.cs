using System.CommandLine;
using Jobs.States;
using Jobs.Tasks;

namespace Jobs.Server.Commands;

/// <summary>
/// <c>enqueue &lt;task&gt; [arguments]</c>: enqueues a run of a task of the task library, found by its id or its class
/// name, in the task's queue, with optional JSON arguments for its method; prints the new job's id.
/// </summary>
internal static class EnqueueCommand
{
    public static Command Create()
    {
        var task = new Argument<string>("task") { Description = "The task's id (as 'list' shows it) or its class name, e.g. CleanupExpiredSessionsTask." };
        var arguments = new Argument<string?>("arguments")
        {
            Description = "Arguments of the task's method as JSON: an array in parameter order or an object by parameter name. " +
                "CancellationToken parameters are left out.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("enqueue", "Enqueues a run of a task of the task library now and prints the new job id.")
        {
            task,
            arguments,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult, parseResult.GetRequiredValue(task), parseResult.GetValue(arguments), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string name, string? json, CancellationToken cancellationToken)
    {
        await using var context = CommandContext.Create(parseResult);
        context.RequireJobStorage();
        var catalog = context.Services.GetRequiredService<RecurringTaskCatalog>();
        var task = Find(catalog, name);
        var job = new Job(task.TaskType, task.Method, TaskArguments.Bind(task.Method, json), task.Queue);
        var client = context.Services.GetRequiredService<IBackgroundJobClient>();
        var jobId = await client.CreateAsync(job, new EnqueuedState(task.Queue), cancellationToken);
        await context.Output.WriteLineAsync(jobId);
        return ExitCodes.Success;
    }

    private static RecurringTaskDefinition Find(RecurringTaskCatalog catalog, string name) =>
        catalog.Find(name)
        ?? catalog.Definitions.FirstOrDefault(d =>
            string.Equals(d.TaskType.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(d.TaskType.FullName, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CommandException(
            $"There is no task '{name}' in the task library. Tasks: " +
            (catalog.Definitions.Count == 0 ? "none" : string.Join(", ", catalog.Definitions.Select(d => $"{d.Id} ({d.TaskType.Name})"))) + ".");
}
