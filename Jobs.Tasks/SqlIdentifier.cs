using System.Text.RegularExpressions;

namespace Jobs.Tasks;

/// <summary>
/// Table and column names come from configuration and end up in SQL text, where parameters cannot go;
/// so they are restricted to plain identifiers and always quoted.
/// </summary>
internal static partial class SqlIdentifier
{
    private const int MaxLength = 63;

    /// <summary>True for 1 to 63 ASCII letters, digits or '_', not starting with a digit.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Plain().IsMatch(name);

    /// <summary>True for a valid identifier or <c>schema.name</c> of two valid identifiers.</summary>
    public static bool IsValidQualified(string? name) =>
        name is not null && name.Split('.') is var parts && parts.Length is 1 or 2 && parts.All(IsValid);

    /// <summary>Quotes a name validated by <see cref="IsValidQualified"/>: <c>app.sessions</c> becomes <c>"app"."sessions"</c>.</summary>
    public static string Quote(string name)
    {
        if (!IsValidQualified(name))
        {
            throw new ArgumentException($"'{name}' is not a valid SQL identifier.", nameof(name));
        }

        return string.Join('.', name.Split('.').Select(part => "\"" + part + "\""));
    }

    /// <summary>
    /// Quotes one name read from the database's own catalog (a column of an existing table), which may hold any
    /// character: embedded double quotes are doubled.
    /// </summary>
    public static string QuoteCatalogName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();
}
