using System.Globalization;

namespace Jobs.Tasks;

/// <summary>The checks the tasks' options share; each adds one sentence naming the configuration key at fault.</summary>
internal static class OptionChecks
{
    public static void ConnectionString(List<string> problems, string section, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"No connection string: set '{section}:ConnectionString' or 'ConnectionStrings:App'.");
        }
    }

    public static void Table(List<string> problems, string section, string key, string? value)
    {
        if (!SqlIdentifier.IsValidQualified(value))
        {
            problems.Add($"'{section}:{key}' must be a table name or schema.table of letters, digits and '_' (up to 63 each, not starting with a digit), was '{value}'.");
        }
    }

    public static void Column(List<string> problems, string section, string key, string? value)
    {
        if (!SqlIdentifier.IsValid(value))
        {
            problems.Add($"'{section}:{key}' must be a column name of letters, digits and '_' (up to 63, not starting with a digit), was '{value}'.");
        }
    }

    public static void Range(List<string> problems, string section, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{section}:{key}' must be from {min} to {max}, was {value}."));
        }
    }

    public static void BatchSize(List<string> problems, string section, int value) =>
        Range(problems, section, "BatchSize", value, 1, 1_000_000);

    public static void RetentionDays(List<string> problems, string section, int value) =>
        Range(problems, section, "RetentionDays", value, 1, 36_500);

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, when there is one.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
