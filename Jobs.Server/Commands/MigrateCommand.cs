using System.CommandLine;

namespace Jobs.Server.Commands;

/// <summary><c>migrate</c>: creates or migrates the jobs schema in <c>ConnectionStrings:Jobs</c>, as a server does at start, and exits.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command(
            "migrate",
            "Creates or migrates the jobs schema (Jobs:PostgreSql:SchemaName, default 'jobs') in the database of ConnectionStrings:Jobs, then exits.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?> { ["Jobs:PostgreSql:PrepareSchemaIfNecessary"] = "true" };

        // The migrations applied are logged by the storage (to stderr).
        await using var context = CommandContext.Create(parseResult, overrides, storageLogLevel: LogLevel.Information);
        var connection = context.RequireJobsConnectionString();
        var storage = context.RequireJobStorage();
        await storage.InitializeAsync(cancellationToken);
        var schema = context.Configuration["Jobs:PostgreSql:SchemaName"] ?? "jobs";
        await context.Output.WriteLineAsync($"The jobs schema \"{schema}\" in {CommandContext.Describe(connection)} is up to date.");
        return ExitCodes.Success;
    }
}
