using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Jobs.Server.Commands;

/// <summary>How the commands write times and JSON.</summary>
internal static class CommandOutput
{
    /// <summary>camelCase, indented, enums as names: for scripts (<c>--json</c>).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The <c>--json</c> option of the listing commands.</summary>
    public static Option<bool> CreateJsonOption() =>
        new("--json") { Description = "Writes a JSON array for scripts instead of the table." };

    /// <summary>A time in UTC to the second, or "-".</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    public static async Task WriteJsonAsync<T>(TextWriter output, T value)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync(JsonSerializer.Serialize(value, Json));
    }
}
