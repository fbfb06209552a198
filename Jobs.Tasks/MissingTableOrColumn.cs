using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Turns PostgreSQL's "relation/column does not exist" into an error that names the settings to check, with their values,
/// and the script that creates the application's tables.
/// </summary>
internal static class MissingTableOrColumn
{
    /// <summary>
    /// For an undefined table or column: <c>Cannot {whatFailed}: {PostgreSQL's message}. Check '{section}:Key' ('value'),
    /// ':Key' ('value') and ':Key' ('value'), or create the table with Jobs.Tasks/Sql/app-schema.sql.</c> ("the tables" when
    /// more than one setting names a table). Null for any other error.
    /// </summary>
    /// <param name="exception">The error of the statement.</param>
    /// <param name="whatFailed">What the task could not do, such as "clean up sessions".</param>
    /// <param name="section">The task's configuration section.</param>
    /// <param name="settings">The settings naming the tables and columns the statement uses, in the order to list them.</param>
    public static InvalidOperationException? Explain(
        PostgresException exception, string whatFailed, string section, params (string Key, string? Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentOutOfRangeException.ThrowIfZero(settings.Length);
        if (exception.SqlState is not (PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn))
        {
            return null;
        }

        var named = settings.Select((s, i) => $"'{(i == 0 ? section : string.Empty)}:{s.Key}' ('{s.Value}')").ToArray();
        var check = named.Length == 1 ? named[0] : string.Join(", ", named[..^1]) + " and " + named[^1];
        var tables = settings.Count(s => s.Key.EndsWith("TableName", StringComparison.Ordinal)) > 1 ? "tables" : "table";
        return new InvalidOperationException(
            $"Cannot {whatFailed}: {exception.MessageText}. Check {check}, or create the {tables} with Jobs.Tasks/Sql/app-schema.sql.",
            exception);
    }
}
