namespace Jobs.Tests.Cli;

/// <summary>What one run of a Jobs.Server command left behind: its exit code, standard output and standard error.</summary>
public sealed record CliResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>A block for failure messages.</summary>
    public override string ToString() =>
        $"--- Jobs.Server {Command} exited with {ExitCode} ---{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}
