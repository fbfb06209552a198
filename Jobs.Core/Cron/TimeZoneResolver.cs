namespace Jobs;

/// <summary>
/// Finds time zones by IANA id (<c>Europe/Berlin</c>) or Windows id (<c>W. Europe Standard Time</c>),
/// and names them by their IANA id where one exists, so every server reads the same id the same way.
/// </summary>
internal static class TimeZoneResolver
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the id when no such zone exists.</summary>
    public static TimeZoneInfo Resolve(string timeZoneId)
    {
        return TryResolve(timeZoneId, out var zone)
            ? zone
            : throw new ArgumentException(
                $"Time zone '{timeZoneId}' was not found: use an IANA id such as 'Europe/Berlin' or 'UTC' (Windows ids such as 'W. Europe Standard Time' are accepted too).",
                nameof(timeZoneId));
    }

    public static bool TryResolve(string? timeZoneId, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return false;
        }

        if (string.Equals(timeZoneId, TimeZoneInfo.Utc.Id, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (TryFind(timeZoneId, out zone))
        {
            return true;
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(timeZoneId, out var iana) && TryFind(iana, out zone);
    }

    /// <summary>The id to store: the IANA id when the zone has one, else its own id.</summary>
    public static string GetStableId(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (zone.HasIanaId || zone == TimeZoneInfo.Utc)
        {
            return zone.Id;
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;
    }

    private static bool TryFind(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
