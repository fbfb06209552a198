using System.Text.Json;

namespace Jobs.Common;

/// <summary>The JSON settings used for job arguments, results and state data.</summary>
public static class JobSerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };
}
