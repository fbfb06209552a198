using System.CommandLine;

namespace Jobs.Server.Commands;

/// <summary><c>run</c>, the default: the web host of <see cref="ServerHost"/> until it is stopped.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command(
            "run",
            "Runs the job server with the dashboard (/jobs) and the status (/status) until stopped; the default when no command is given. " +
            "ASP.NET Core's own arguments apply: --urls, --environment, --Key=value.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(RunAsync);
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var app = ServerHost.Build(HostArguments.Of(parseResult));
        await app.RunAsync();
        return ExitCodes.Success;
    }
}
