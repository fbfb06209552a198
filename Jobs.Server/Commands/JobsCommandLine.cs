using System.CommandLine;
using System.CommandLine.Invocation;

namespace Jobs.Server.Commands;

/// <summary>
/// The command line of Jobs.Server: <c>run</c> (also when no command is given) and the commands that manage jobs,
/// servers and the database. Exit codes: 0 success, 1 the operation failed, 2 bad usage (see <see cref="ExitCodes"/>).
/// </summary>
internal static class JobsCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Jobs server: runs the job server with its dashboard (the default: 'run'), or manages jobs, servers and the database. " +
            "Configuration comes from appsettings.json, environment variables (ConnectionStrings__Jobs) and --Key=value arguments (--ConnectionStrings:Jobs=…).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(RunCommand.RunAsync);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(MigrateAppCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(TriggerCommand.Create());
        root.Subcommands.Add(EnqueueCommand.Create());
        root.Subcommands.Add(ServersCommand.Create());
        root.Subcommands.Add(SendTestEmailCommand.Create());
        root.Subcommands.Add(HashPasswordCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = Create();

        // '@file' stays an ordinary argument: the host's configuration values may start with '@'.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

        // The host handles SIGTERM and Ctrl+C itself (graceful shutdown within Jobs:Server:ShutdownTimeout).
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        var error = invocation.Error;
        var help = $"Run '{root.Name} {CommandPath(parseResult)}--help' for usage.";
        if (parseResult.Action is ParseErrorAction parseErrors)
        {
            parseErrors.ShowHelp = false;
            await parseResult.InvokeAsync(invocation);
            await error.WriteLineAsync(help);
            return ExitCodes.Usage;
        }

        try
        {
            return await parseResult.InvokeAsync(invocation);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            await error.WriteLineAsync(help);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (CommandErrors.Describe(ex) is { } message)
        {
            await error.WriteLineAsync("error: " + message);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not HostAbortedException)
        {
            // A bug rather than a problem of the input or the environment: the stack trace helps to find it.
            await error.WriteLineAsync("error: unexpected failure: " + ex);
            return ExitCodes.Failure;
        }
    }

    private static string CommandPath(ParseResult parseResult) =>
        parseResult.CommandResult.Command is RootCommand ? string.Empty : parseResult.CommandResult.Command.Name + " ";
}
