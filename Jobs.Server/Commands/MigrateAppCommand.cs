using System.CommandLine;
using Jobs.Tasks;
using Npgsql;

namespace Jobs.Server.Commands;

/// <summary>
/// <c>migrate-app</c>: applies the example application schema of the task library (<c>Jobs.Tasks/Sql/app-schema.sql</c>,
/// idempotent) to <c>ConnectionStrings:App</c>, which falls back to the jobs database as in the server.
/// </summary>
internal static class MigrateAppCommand
{
    private const string NoAppDatabase =
        "No application database is configured: set ConnectionStrings:App (or ConnectionStrings:Jobs, which it falls back to), " +
        "e.g. as the environment variable ConnectionStrings__App or --ConnectionStrings:App=… on the command line.";

    public static Command Create()
    {
        var command = new Command(
            "migrate-app",
            "Applies the example application schema of Jobs.Tasks (the sessions table) to ConnectionStrings:App (default: the jobs database), " +
            "in the first schema of the connection's search_path, then exits.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var context = CommandContext.Create(parseResult);
        var connectionString = context.RequireConnectionString("App", NoAppDatabase);
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(AppSchema.Script, connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await context.Output.WriteLineAsync($"The application schema (Jobs.Tasks/Sql/app-schema.sql) is applied to {CommandContext.Describe(connectionString)}.");
        return ExitCodes.Success;
    }
}
