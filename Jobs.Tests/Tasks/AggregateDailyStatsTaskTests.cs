using Jobs.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Tasks;

public sealed class AggregateDailyStatsTaskTests : AppDatabaseTestBase
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Yesterday = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Today = Yesterday.AddDays(1);

    [Test]
    public void Defaults_AreDocumentedValues_WhenNothingIsConfigured()
    {
        var options = new AggregateDailyStatsOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.TableName, Is.EqualTo("daily_stats"));
            Assert.That(options.UsersTableName, Is.EqualTo("users"));
            Assert.That(options.SessionsTableName, Is.EqualTo("sessions"));
            Assert.That(options.AuditLogsTableName, Is.EqualTo("audit_logs"));
            Assert.That(options.ErrorLogsTableName, Is.EqualTo("error_logs"));
            Assert.That(options.CreatedAtColumn, Is.EqualTo("created_at"));
            Assert.That(options.TimeZone, Is.EqualTo("UTC"));
            Assert.That(AggregateDailyStatsOptions.SectionName, Is.EqualTo("Tasks:aggregate-daily-stats"));
        });
    }

    [Test]
    public async Task RunAsync_CountsYesterdaysRowsOfEachTable_WhenRowsSpanSeveralDays()
    {
        await InsertAsync("users", Yesterday, Yesterday.AddHours(12), Today.AddTicks(-10), Yesterday.AddTicks(-10), Today);
        await InsertAsync("sessions", Yesterday.AddHours(1), Today.AddHours(1));
        await InsertAsync("audit_logs", Yesterday.AddHours(2), Yesterday.AddHours(3), Yesterday.AddHours(4), Yesterday.AddDays(-1));
        await InsertAsync("error_logs", Today.AddMinutes(5));

        var result = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result, Is.EqualTo(new AggregateDailyStatsResult(new DateOnly(2026, 3, 1), "UTC", Yesterday, Today, 3, 1, 3, 0)));
            Assert.That(await StatsRowsAsync(), Is.EqualTo(new[] { "2026-03-01|3|1|3|0" }));
        });
    }

    [Test]
    public async Task RunAsync_CountsTheLocalDay_WhenTimeZoneIsNotUtc()
    {
        // Berlin is UTC+1 in March: its 2 March runs from 23:00 UTC on 1 March to 23:00 UTC on 2 March.
        var now = new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero);
        await InsertAsync("users", new DateTimeOffset(2026, 3, 1, 22, 59, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero));
        await InsertAsync("users", new DateTimeOffset(2026, 3, 2, 22, 59, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 23, 0, 0, TimeSpan.Zero));

        var result = await CreateSut(o => o.TimeZone = "Europe/Berlin", now).RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Day, Is.EqualTo(new DateOnly(2026, 3, 2)));
            Assert.That(result.From, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero)));
            Assert.That(result.To, Is.EqualTo(new DateTimeOffset(2026, 3, 2, 23, 0, 0, TimeSpan.Zero)));
            Assert.That(result.NewUsers, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_CountsTwentyThreeHours_WhenYesterdayHadTheSpringForwardChange()
    {
        // Berlin moved its clocks from 02:00 to 03:00 on 29 March 2026.
        var now = new DateTimeOffset(2026, 3, 29, 23, 30, 0, TimeSpan.Zero);

        var result = await CreateSut(o => o.TimeZone = "Europe/Berlin", now).RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Day, Is.EqualTo(new DateOnly(2026, 3, 29)));
            Assert.That(result.To - result.From, Is.EqualTo(TimeSpan.FromHours(23)));
        });
    }

    [Test]
    public void StartOfDay_IsWhenClocksResume_WhenMidnightIsSkipped()
    {
        // Santiago de Chile skipped from 00:00 to 01:00 on 7 September 2025.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

        var start = AggregateDailyStatsTask.StartOfDay(new DateOnly(2025, 9, 7), zone);

        Assert.That(start, Is.EqualTo(new DateTimeOffset(2025, 9, 7, 4, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task RunAsync_WritesTheSameSingleRow_WhenRunTwice()
    {
        await InsertAsync("users", Yesterday.AddHours(1), Yesterday.AddHours(2));
        await InsertAsync("error_logs", Yesterday.AddHours(3));
        var sut = CreateSut();

        var first = await sut.RunAsync(CancellationToken.None);
        var rowsAfterFirst = await StatsRowsAsync();
        var second = await sut.RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(await StatsRowsAsync(), Is.EqualTo(rowsAfterFirst));
            Assert.That(rowsAfterFirst, Is.EqualTo(new[] { "2026-03-01|2|0|0|1" }));
        });
    }

    [Test]
    public async Task RunAsync_ReplacesTheDaysCounts_WhenRowsArrivedLate()
    {
        await InsertAsync("sessions", Yesterday.AddHours(1));
        await CreateSut().RunAsync(CancellationToken.None);
        await InsertAsync("sessions", Yesterday.AddHours(20));

        var rerun = await CreateSut().RunAsync(CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(rerun.SessionsCreated, Is.EqualTo(2));
            Assert.That(await StatsRowsAsync(), Is.EqualTo(new[] { "2026-03-01|0|2|0|0" }));
        });
    }

    [Test]
    public async Task RunAsync_WritesOneRow_WhenTwoRunsOverlap()
    {
        await InsertAsync("audit_logs", Yesterday.AddHours(5), Yesterday.AddHours(6));

        var results = await Task.WhenAll(
            Task.Run(() => CreateSut().RunAsync(CancellationToken.None)),
            Task.Run(() => CreateSut().RunAsync(CancellationToken.None)));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results[0], Is.EqualTo(results[1]));
            Assert.That(results[0].AuditEvents, Is.EqualTo(2));
            Assert.That(await StatsRowsAsync(), Is.EqualTo(new[] { "2026-03-01|0|0|2|0" }));
        });
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenTimeZoneIsUnknown()
    {
        var sut = CreateSut(o => o.TimeZone = "Mars/Olympus_Mons");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:aggregate-daily-stats:TimeZone': time zone 'Mars/Olympus_Mons' is not known"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenATableNameIsEmpty()
    {
        var sut = CreateSut(o => o.SessionsTableName = "");

        var ex = Assert.ThrowsAsync<ArgumentException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'Tasks:aggregate-daily-stats:SessionsTableName' must be a table name"));
    }

    [Test]
    public void RunAsync_ThrowsClearError_WhenACountedTableDoesNotExist()
    {
        var sut = CreateSut(o => o.ErrorLogsTableName = Table("exceptions"));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("exceptions").And.Contains(":ErrorLogsTableName'"));
    }

    [Test]
    public async Task RunAsync_ThrowsClearError_WhenStatsTableHasNoUniqueDay()
    {
        await ExecuteAsync(
            $"CREATE TABLE {Schema}.stats_log (day date NOT NULL, new_users bigint, sessions_created bigint, audit_events bigint, errors bigint)");

        var sut = CreateSut(o => o.TableName = Table("stats_log"));
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("'day' column of").And.Contains("unique"));
    }

    private AggregateDailyStatsTask CreateSut(Action<AggregateDailyStatsOptions>? configure = null, DateTimeOffset? now = null)
    {
        var options = new AggregateDailyStatsOptions
        {
            ConnectionString = ConnectionString,
            TableName = Table("daily_stats"),
            UsersTableName = Table("users"),
            SessionsTableName = Table("sessions"),
            AuditLogsTableName = Table("audit_logs"),
            ErrorLogsTableName = Table("error_logs"),
        };
        configure?.Invoke(options);
        return new AggregateDailyStatsTask(Options.Create(options), new FixedTimeProvider(now ?? Now), NullLogger<AggregateDailyStatsTask>.Instance);
    }

    private async Task InsertAsync(string table, params DateTimeOffset[] createdAt)
    {
        var values = table switch
        {
            "users" => "(email, created_at) SELECT 'u' || g || '@example.org'",
            "sessions" => "(user_id, expires_at, created_at) SELECT g, t + interval '1 day'",
            "audit_logs" => "(action, created_at) SELECT 'login'",
            "error_logs" => "(source, message, created_at) SELECT 'api', 'boom'",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
        };
        await ExecuteAsync(
            $"INSERT INTO {Schema}.{table} {values}, t FROM unnest(@at) WITH ORDINALITY AS x(t, g)",
            ("at", createdAt));
    }

    private async Task<List<string>> StatsRowsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"SELECT concat_ws('|', day, new_users, sessions_created, audit_events, errors) FROM {Schema}.daily_stats ORDER BY day", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
