namespace Jobs.Tasks;

/// <summary>What one run of <see cref="DatabaseMaintenanceTask"/> did; stored with the succeeded job.</summary>
/// <param name="TablesVacuumed">The tables vacuumed and analyzed, in the order done (all configured ones, or the run fails).</param>
public sealed record DatabaseMaintenanceResult(IReadOnlyList<string> TablesVacuumed);
