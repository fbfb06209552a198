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
public sealed class AggregateDailyStatsTask
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "aggregate-daily-stats";

    private readonly AggregateDailyStatsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AggregateDailyStatsTask> _logger;

    public AggregateDailyStatsTask(IOptions<AggregateDailyStatsOptions> options, TimeProvider timeProvider, ILogger<AggregateDailyStatsTask> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Writes yesterday's row of the statistics table and returns it.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">A table or column does not exist, or the statistics table has no unique day.</exception>
    public async Task<AggregateDailyStatsResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_timeProvider.GetUtcNow(), zone).DateTime);
        var day = today.AddDays(-1);
        var from = StartOfDay(day, zone);
        var to = StartOfDay(today, zone);

        var created = SqlIdentifier.Quote(_options.CreatedAtColumn);
        string CountOf(string tableName) =>
            $"(SELECT count(*) FROM {SqlIdentifier.Quote(tableName)} WHERE {created} >= @from AND {created} < @to)";

        var sql = $"""
            INSERT INTO {SqlIdentifier.Quote(_options.TableName)} AS s (day, new_users, sessions_created, audit_events, errors)
            VALUES (@day,
                {CountOf(_options.UsersTableName)},
                {CountOf(_options.SessionsTableName)},
                {CountOf(_options.AuditLogsTableName)},
                {CountOf(_options.ErrorLogsTableName)})
            ON CONFLICT (day) DO UPDATE SET
                new_users = EXCLUDED.new_users,
                sessions_created = EXCLUDED.sessions_created,
                audit_events = EXCLUDED.audit_events,
                errors = EXCLUDED.errors
            RETURNING s.new_users, s.sessions_created, s.audit_events, s.errors
            """;

        await using var connection = new NpgsqlConnection(_options.ConnectionString);
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
                day, _options.TimeZone, from, to, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        catch (PostgresException ex) when (MissingTableOrColumn.Explain(
            ex,
            "aggregate daily statistics",
            AggregateDailyStatsOptions.SectionName,
            (nameof(_options.TableName), _options.TableName),
            (nameof(_options.UsersTableName), _options.UsersTableName),
            (nameof(_options.SessionsTableName), _options.SessionsTableName),
            (nameof(_options.AuditLogsTableName), _options.AuditLogsTableName),
            (nameof(_options.ErrorLogsTableName), _options.ErrorLogsTableName),
            (nameof(_options.CreatedAtColumn), _options.CreatedAtColumn)) is { } explained)
        {
            throw explained;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidColumnReference)
        {
            throw new InvalidOperationException(
                $"Cannot aggregate daily statistics: {ex.MessageText}. The 'day' column of '{_options.TableName}' must be its primary key " +
                "or have a unique index, so a rerun replaces the day's row instead of adding another.",
                ex);
        }

        Log.DailyStatsAggregated(_logger, day, _options.TimeZone, result.NewUsers, result.SessionsCreated, result.AuditEvents, result.Errors);
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
