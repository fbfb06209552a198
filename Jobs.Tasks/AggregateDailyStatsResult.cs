namespace Jobs.Tasks;

/// <summary>What one run of <see cref="AggregateDailyStatsTask"/> wrote; stored with the succeeded job.</summary>
/// <param name="Day">The calendar day counted (yesterday in <paramref name="TimeZone"/>), the statistics row's key.</param>
/// <param name="TimeZone">The time zone whose day it is.</param>
/// <param name="From">The day's first instant.</param>
/// <param name="To">The next day's first instant (not counted); 23 or 25 hours after <paramref name="From"/> on a daylight-saving change.</param>
/// <param name="NewUsers">Users created that day.</param>
/// <param name="SessionsCreated">Sessions created that day.</param>
/// <param name="AuditEvents">Audit events logged that day.</param>
/// <param name="Errors">Errors logged that day.</param>
public sealed record AggregateDailyStatsResult(
    DateOnly Day,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    long NewUsers,
    long SessionsCreated,
    long AuditEvents,
    long Errors);
