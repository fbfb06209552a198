namespace Jobs.Tests.EndToEnd;

/// <summary>One row of the probe table: what a probe job did, as which job, on which server and process.</summary>
public sealed record ProbeRow(string Marker, string Event, string? JobId, string? ServerId, int Pid, DateTime At)
{
    internal static ProbeRow From(object?[] row) =>
        new((string)row[0]!, (string)row[1]!, (string?)row[2], (string?)row[3], (int)row[4]!, (DateTime)row[5]!);
}
