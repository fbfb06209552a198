using System.Globalization;
using System.Text.Json;

namespace Jobs.Server.Commands;

/// <summary>How the commands write times and JSON.</summary>
internal static class CommandOutput
{
    /// <summary>camelCase, indented, enums as names: for scripts (<c>--json</c>).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>A time in UTC to the second, or "-".</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    public static async Task WriteJsonAsync<T>(TextWriter output, T value)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync(JsonSerializer.Serialize(value, Json));
    }
}
