using System.Net.Sockets;
using Jobs.Tasks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Server.Commands;

/// <summary>Turns the failures a user can meet and fix into one readable line; anything else is a bug and keeps its stack trace.</summary>
internal static class CommandErrors
{
    private const string UndefinedTable = "42P01";
    private const string InvalidSchemaName = "3F000";

    /// <summary>The message for an expected failure, or null when <paramref name="exception"/> is unexpected.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        CommandException e => e.Message,
        RecurringTaskCatalogException e => e.Message,
        OptionsValidationException e => "Invalid configuration: " + string.Join(" ", e.Failures),
        JobCreationCanceledException e => "No job was created: " + e.Message,
        PostgresException { SqlState: UndefinedTable or InvalidSchemaName } e =>
            $"PostgreSQL: {e.MessageText}. The jobs schema is missing or not fully migrated in this database: run the 'migrate' command first.",
        PostgresException e => $"PostgreSQL: {e.MessageText} (SQLSTATE {e.SqlState}).",
        NpgsqlException e => "Cannot use the database: " + Chain(e),
        SocketException e => "Network error: " + e.Message,
        _ => null,
    };

    /// <summary>The messages of an exception and its inner exceptions, without repeats.</summary>
    public static string Chain(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim();
            if (message.Length > 0 && !messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }
        }

        return string.Join(" ", messages.Select(m => m.EndsWith('.') ? m : m + "."));
    }
}
