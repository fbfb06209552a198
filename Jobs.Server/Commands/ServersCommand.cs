using System.CommandLine;
using System.Globalization;

namespace Jobs.Server.Commands;

/// <summary><c>servers</c>: the registered job servers with workers, queues, start and last heartbeat.</summary>
internal static class ServersCommand
{
    public static Command Create()
    {
        var json = CommandOutput.CreateJsonOption();
        var command = new Command("servers", "Lists the job servers: name, workers, queues, started, last heartbeat.")
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
        var servers = (await storage.Monitoring.GetServersAsync(cancellationToken)).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (json)
        {
            await CommandOutput.WriteJsonAsync(context.Output, servers.Select(s => new
            {
                name = s.Id,
                workers = s.WorkerCount,
                queues = s.Queues,
                started = s.StartedAt,
                lastHeartbeat = s.LastHeartbeat,
            }));
            return ExitCodes.Success;
        }

        if (servers.Count == 0)
        {
            await context.Output.WriteLineAsync("No servers are running.");
            return ExitCodes.Success;
        }

        await TextTable.WriteAsync(
            context.Output,
            ["NAME", "WORKERS", "QUEUES", "STARTED (UTC)", "LAST HEARTBEAT (UTC)"],
            [.. servers.Select(s => (IReadOnlyList<string>)
            [
                s.Id, s.WorkerCount.ToString(CultureInfo.InvariantCulture), string.Join(", ", s.Queues),
                CommandOutput.Time(s.StartedAt), CommandOutput.Time(s.LastHeartbeat),
            ])]);
        return ExitCodes.Success;
    }
}
