using System.Globalization;
using System.Text.Json;
using Jobs.Common;
using Jobs.Storage;
using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>Turns rows into contract records, and contract values into parameters.</summary>
internal static class PostgreSqlReaders
{
    private static readonly IReadOnlyDictionary<string, string> EmptyData = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Reads type, method, parameter_types, arguments starting at <paramref name="ordinal"/>.</summary>
    public static InvocationData ReadInvocation(NpgsqlDataReader reader, int ordinal) => new(
        reader.GetString(ordinal),
        reader.GetString(ordinal + 1),
        reader.GetFieldValue<string[]>(ordinal + 2),
        reader.GetString(ordinal + 3));

    public static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? ReadNullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? ReadNullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static string? ReadNullableId(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal).ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string> ParseData(string? json) =>
        string.IsNullOrEmpty(json) ? EmptyData : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? EmptyData;

    public static string SerializeData(IReadOnlyDictionary<string, string> data) => JsonSerializer.Serialize(data);

    /// <summary>Parameter types joined by the unit separator (U+001F), which no type name contains; split again in SQL.</summary>
    public static string JoinParameterTypes(IReadOnlyList<string> types) => string.Join('\u001f', types);

    /// <summary>Reads the columns of <see cref="PostgreSqlQueries.RecurringColumns"/> starting at column 0.</summary>
    public static RecurringJobRecord ReadRecurringJob(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        ReadInvocation(reader, 1),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7),
        (MisfireHandling)reader.GetInt16(8),
        reader.GetBoolean(9),
        reader.GetBoolean(10),
        ReadNullableTime(reader, 11),
        ReadNullableTime(reader, 12),
        ReadNullableId(reader, 13),
        ReadNullableString(reader, 14),
        ReadTime(reader, 15))
    {
        LastSkipReason = ReadNullableString(reader, 16),
        LastSkippedAt = ReadNullableTime(reader, 17),
    };

    /// <summary>Parses a job id; anything that is not a positive 64-bit number names no job.</summary>
    public static bool TryParseId(string? id, out long value) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
