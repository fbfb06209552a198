using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Counts yesterday's new users, sessions created, audit events and errors into one row of the daily statistics
/// table (daily at 01:00 by default). "Yesterday" is the calendar day before today in
/// <see cref="AggregateDailyStatsOptions.TimeZone"/>, daylight-saving changes included. The row is upserted on its
/// day, so a rerun (or two runs at once) leaves the same single row, with counts as of the latest run.
/// </summary>
[RecurringTask(Id, "0 1 * * *")]
public sealed class AggregateDailyStatsTask : ConfiguredTask<AggregateDailyStatsOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "aggregate-daily-stats";

    public AggregateDailyStatsTask(IOptions<AggregateDailyStatsOptions> options, TimeProvider timeProvider, ILogger<AggregateDailyStatsTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Writes yesterday's row of the statistics table and returns it.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">A table or column does not exist, or the statistics table has no unique day.</exception>
    public async Task<AggregateDailyStatsResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Options.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), zone).DateTime);
        var day = today.AddDays(-1);
        var from = StartOfDay(day, zone);
        var to = StartOfDay(today, zone);

        var created = SqlIdentifier.Quote(Options.CreatedAtColumn);
        string CountOf(string tableName) =>
            $"(SELECT count(*) FROM {SqlIdentifier.Quote(tableName)} WHERE {created} >= @from AND {created} < @to)";

        var sql = $"""
            INSERT INTO {SqlIdentifier.Quote(Options.TableName)} AS s (day, new_users, sessions_created, audit_events, errors)
            VALUES (@day,
                {CountOf(Options.UsersTableName)},
                {CountOf(Options.SessionsTableName)},
                {CountOf(Options.AuditLogsTableName)},
                {CountOf(Options.ErrorLogsTableName)})
            ON CONFLICT (day) DO UPDATE SET
                new_users = EXCLUDED.new_users,
                sessions_created = EXCLUDED.sessions_created,
                audit_events = EXCLUDED.audit_events,
                errors = EXCLUDED.errors
            RETURNING s.new_users, s.sessions_created, s.audit_events, s.errors
            """;

        await using var connection = new NpgsqlConnection(Options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("day", day);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);

        AggregateDailyStatsResult result;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            result = new AggregateDailyStatsResult(
                day, Options.TimeZone, from, to, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        catch (PostgresException ex) when (MissingTableOrColumn.Explain(
            ex,
            "aggregate daily statistics",
            AggregateDailyStatsOptions.SectionName,
            (nameof(Options.TableName), Options.TableName),
            (nameof(Options.UsersTableName), Options.UsersTableName),
            (nameof(Options.SessionsTableName), Options.SessionsTableName),
            (nameof(Options.AuditLogsTableName), Options.AuditLogsTableName),
            (nameof(Options.ErrorLogsTableName), Options.ErrorLogsTableName),
            (nameof(Options.CreatedAtColumn), Options.CreatedAtColumn)) is { } explained)
        {
            throw explained;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidColumnReference)
        {
            throw new InvalidOperationException(
                $"Cannot aggregate daily statistics: {ex.MessageText}. The 'day' column of '{Options.TableName}' must be its primary key " +
                "or have a unique index, so a rerun replaces the day's row instead of adding another.",
                ex);
        }

        Log.DailyStatsAggregated(Logger, day, Options.TimeZone, result.NewUsers, result.SessionsCreated, result.AuditEvents, result.Errors);
        return result;
    }

    /// <summary>The first instant of <paramref name="day"/> in <paramref name="zone"/>.</summary>
    internal static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);

        // Where a daylight-saving change skips midnight, the day starts when the clocks resume.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // Where midnight happens twice, the day starts at the first of them: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
