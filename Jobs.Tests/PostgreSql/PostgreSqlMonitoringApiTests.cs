using Jobs.Common;
using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.PostgreSql;

/// <summary>The dashboard's read side over data written by the PostgreSQL storage's own write side.</summary>
[TestFixture]
public sealed class PostgreSqlMonitoringApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 15, 0, TimeSpan.Zero);

    private readonly CancellationToken _ct = CancellationToken.None;
    private ManualClock _clock = null!;
    private PostgreSqlJobStorage _storage = null!;
    private string _schema = null!;

    private IMonitoringApi Monitoring => _storage.Monitoring;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock(Start);
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        _storage = new PostgreSqlJobStorage(PostgreSqlTestDatabase.ConnectionString, new PostgreSqlStorageOptions { SchemaName = _schema }, _clock);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _storage.DisposeAsync();
        await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
    }

    [Test]
    public async Task GetStatisticsAsync_CountsEveryStateServersRecurringAndQueues_WhenJobsMoveThroughStates()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2), Report(3), Report(4), Email("a@x.org", "emails")], _ct);
        await _storage.CreateJobAsync(Report(5, new ScheduledState(Start.AddHours(1))), _ct);
        await _storage.CreateJobAsync(Report(6, new AwaitingState(ids[3])), _ct);
        await FetchAsync("default", 3);
        await SucceedAsync(ids[0]);
        await FailAsync(ids[1], "boom");
        await RetryAsync(ids[2], Start.AddMinutes(5));
        await _storage.ChangeStatesAsync([new StateChange(ids[3], new DeletedState("by test"))], _ct);
        await _storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 5, ["critical", "default"], Start), _ct);
        await _storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("nightly", ReportInvocation(9), "0 3 * * *", "UTC", "default", Start.AddDays(1)), _ct);

        var stats = await Monitoring.GetStatisticsAsync(_ct);

        // ids[3] was deleted, so its only-on-success continuation was deleted too.
        Assert.That(stats, Is.EqualTo(new JobStatistics(
            Enqueued: 1, Scheduled: 2, Awaiting: 0, Processing: 0, Succeeded: 1, Failed: 1, Deleted: 2,
            Retries: 1, Servers: 1, RecurringJobs: 1, Queues: 3)));
    }

    [Test]
    public async Task GetStatisticsAsync_StaysExact_WhenCounterDeltasAreRolledUp()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2), Report(3)], _ct);
        await FetchAsync("default", 2);
        await SucceedAsync(ids[0]);
        var before = await Monitoring.GetStatisticsAsync(_ct);

        await _storage.AggregateCountersAsync(_ct);
        var after = await Monitoring.GetStatisticsAsync(_ct);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(after));
            Assert.That((after.Enqueued, after.Processing, after.Succeeded), Is.EqualTo((1L, 1L, 1L)));
        });
    }

    [Test]
    public async Task GetJobsAsync_ReturnsNewestStateChangeFirst_WhenPaging()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2), Report(3), Report(4)], _ct);
        await FetchAsync("default", 4);
        foreach (var id in new[] { ids[2], ids[0], ids[3], ids[1] })
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await SucceedAsync(id);
        }

        var first = await Monitoring.GetJobsAsync(SucceededState.StateName, 0, 3, _ct);
        var second = await Monitoring.GetJobsAsync(SucceededState.StateName, 3, 3, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(j => j.Id), Is.EqualTo(new[] { ids[1], ids[3], ids[0] }));
            Assert.That(second.Select(j => j.Id), Is.EqualTo(new[] { ids[2] }));
            Assert.That(first[0].StateChangedAt, Is.EqualTo(Start.AddSeconds(4)));
            Assert.That(first[0].CreatedAt, Is.EqualTo(Start));
            Assert.That(first[0].DisplayName, Is.EqualTo("ReportTask.Build"));
            Assert.That(first[0].Queue, Is.EqualTo("default"));
            Assert.That(first[0].StateData["PerformanceDuration"], Is.EqualTo("250"));
        });
    }

    [Test]
    public async Task GetJobsAsync_ReturnsExceptionInStateData_WhenStateNameIsSpelledInLowerCase()
    {
        var id = await _storage.CreateJobAsync(Report(1), _ct);
        await FetchAsync("default", 1);
        await FailAsync(id, "disk full");

        var failed = await Monitoring.GetJobsAsync("failed", 0, 20, _ct);

        Assert.That(failed, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(failed[0].StateName, Is.EqualTo(FailedState.StateName));
            Assert.That(failed[0].StateData["ExceptionMessage"], Is.EqualTo("disk full"));
            Assert.That(failed[0].StateData["ExceptionType"], Is.EqualTo(typeof(InvalidOperationException).FullName));
        });
    }

    [Test]
    public async Task GetJobsAsync_ReturnsNothing_WhenStateIsUnknownOrPageIsEmpty()
    {
        await _storage.CreateJobAsync(Report(1), _ct);

        var unknown = await Monitoring.GetJobsAsync("Sleeping", 0, 20, _ct);
        var zero = await Monitoring.GetJobsAsync(EnqueuedState.StateName, 0, 0, _ct);
        var beyond = await Monitoring.GetJobsAsync(EnqueuedState.StateName, 5, 20, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.Empty);
            Assert.That(zero, Is.Empty);
            Assert.That(beyond, Is.Empty);
        });
    }

    [Test]
    public async Task GetRetriesAsync_ReturnsSoonestRetryFirst_AndLeavesOutPlainScheduledJobs()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2)], _ct);
        await _storage.CreateJobAsync(Report(3, new ScheduledState(Start.AddMinutes(1))), _ct);
        await FetchAsync("default", 2);
        await RetryAsync(ids[0], Start.AddMinutes(30));
        await RetryAsync(ids[1], Start.AddMinutes(10));

        var retries = await Monitoring.GetRetriesAsync(0, 20, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(retries.Select(r => r.Id), Is.EqualTo(new[] { ids[1], ids[0] }));
            Assert.That(retries[0].RetryCount, Is.EqualTo(1));
            Assert.That(retries[0].StateReason, Does.StartWith("Retry attempt 1"));
        });
    }

    [Test]
    public async Task GetEnqueuedJobsAsync_ReturnsOldestFirst_OnlyFromTheQueueAsked()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Email("a@x.org", "emails"), Report(2), Report(3)], _ct);

        var page = await Monitoring.GetEnqueuedJobsAsync("default", 1, 5, _ct);
        var emails = await Monitoring.GetEnqueuedJobsAsync("emails", 0, 5, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(page.Select(j => j.Id), Is.EqualTo(new[] { ids[2], ids[3] }));
            Assert.That(emails.Select(j => (j.Id, j.DisplayName, j.StateName)), Is.EqualTo(new[] { (ids[1], "EmailTask.Send", "Enqueued") }));
        });
    }

    [Test]
    public async Task GetJobDetailsAsync_ReturnsInvocationHistoryNewestFirstAndContinuations_WhenJobSucceeded()
    {
        var parent = await _storage.CreateJobAsync(Report(42), _ct);
        var child = await _storage.CreateJobAsync(Email("done@x.org", "emails", new AwaitingState(parent)), _ct);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await FetchAsync("default", 1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await SucceedAsync(parent);

        var details = await Monitoring.GetJobDetailsAsync(parent, _ct);
        var continuation = await Monitoring.GetJobDetailsAsync(child, _ct);

        Assert.That(details, Is.Not.Null);
        Assert.That(continuation, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(details!.Summary.StateName, Is.EqualTo(SucceededState.StateName));
            Assert.That(details.Invocation.Arguments, Is.EqualTo(ReportInvocation(42).Arguments));
            Assert.That(details.Invocation.ParameterTypes, Is.EqualTo(ReportInvocation(42).ParameterTypes));
            Assert.That(details.History.Select(h => (h.StateName, h.CreatedAt)), Is.EqualTo(new[]
            {
                (SucceededState.StateName, Start.AddSeconds(2)),
                (ProcessingState.StateName, Start.AddSeconds(1)),
                (EnqueuedState.StateName, Start),
            }));
            Assert.That(details.History[1].Data["ServerId"], Is.EqualTo("server-1"));
            Assert.That(details.ContinuationIds, Is.EqualTo(new[] { child }));
            Assert.That(details.ParentId, Is.Null);
            Assert.That(details.ExpireAt, Is.EqualTo(Start.AddSeconds(2) + new PostgreSqlStorageOptions().JobRetention));
            Assert.That(continuation!.ParentId, Is.EqualTo(parent));
            Assert.That(continuation.Summary.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(continuation.History.Select(h => h.StateName), Is.EqualTo(new[] { EnqueuedState.StateName, AwaitingState.StateName }));
        });
    }

    [Test]
    public async Task GetJobDetailsAsync_ReturnsServerHoldingTheJob_WhenProcessing()
    {
        var id = await _storage.CreateJobAsync(Report(1), _ct);
        await FetchAsync("default", 1);

        var details = await Monitoring.GetJobDetailsAsync(id, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(details!.ServerId, Is.EqualTo("server-1"));
            Assert.That(details.ExpireAt, Is.Null);
        });
    }

    [TestCase("999999")]
    [TestCase("not-a-number")]
    [TestCase("")]
    public async Task GetJobDetailsAsync_ReturnsNull_WhenJobDoesNotExist(string id)
    {
        await _storage.CreateJobAsync(Report(1), _ct);

        Assert.That(await Monitoring.GetJobDetailsAsync(id, _ct), Is.Null);
    }

    [Test]
    public async Task GetQueuesAsync_ReturnsLengthsAndFirstJobs_IncludingEmptyQueuesServersListenTo()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2), Report(3), Email("a@x.org", "emails")], _ct);
        await _storage.AnnounceServerAsync(new ServerAnnouncement("server-1", 5, ["critical", "default"], Start), _ct);
        await FetchAsync("emails", 1);

        var queues = await Monitoring.GetQueuesAsync(2, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(queues.Select(q => (q.Name, q.Length)), Is.EqualTo(new[] { ("critical", 0L), ("default", 3L) }));
            Assert.That(queues[0].FirstJobs, Is.Empty);
            Assert.That(queues[1].FirstJobs.Select(j => j.Id), Is.EqualTo(new[] { ids[0], ids[1] }));
        });
    }

    [Test]
    public async Task GetServersAsync_ReturnsAnnouncedServersWithTheirLastHeartbeat()
    {
        await _storage.AnnounceServerAsync(new ServerAnnouncement("server-b", 10, ["default"], Start), _ct);
        await _storage.AnnounceServerAsync(new ServerAnnouncement("server-a", 4, ["critical", "default"], Start.AddMinutes(-1)), _ct);
        await _storage.HeartbeatAsync("server-b", Start.AddSeconds(30), _ct);

        var servers = await Monitoring.GetServersAsync(_ct);

        Assert.Multiple(() =>
        {
            Assert.That(servers.Select(s => s.Id), Is.EqualTo(new[] { "server-a", "server-b" }));
            Assert.That(servers[0].Queues, Is.EqualTo(new[] { "critical", "default" }));
            Assert.That(servers[0].WorkerCount, Is.EqualTo(4));
            Assert.That(servers[0].StartedAt, Is.EqualTo(Start.AddMinutes(-1)));
            Assert.That(servers[1].LastHeartbeat, Is.EqualTo(Start.AddSeconds(30)));
        });
    }

    [Test]
    public async Task GetRecurringJobsAsync_ReturnsStateOfLastRun_WhenARunWasCreated()
    {
        await _storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("nightly", ReportInvocation(7), "0 3 * * *", "UTC", "default", Start.AddHours(1)), _ct);
        await _storage.AddOrUpdateRecurringJobAsync(new RecurringJobDefinition("hourly", ReportInvocation(8), "0 * * * *", "UTC", "default", Start.AddHours(1)), _ct);
        var run = await _storage.CreateJobAsync(Report(7) with { RecurringJobId = "nightly" }, _ct);
        await FetchAsync("default", 1);

        var recurring = await Monitoring.GetRecurringJobsAsync(_ct);

        Assert.Multiple(() =>
        {
            Assert.That(recurring.Select(r => r.Id), Is.EqualTo(new[] { "hourly", "nightly" }));
            Assert.That((recurring[0].LastJobId, recurring[0].LastJobState), Is.EqualTo(((string?)null, (string?)null)));
            Assert.That((recurring[1].LastJobId, recurring[1].LastJobState), Is.EqualTo((run, ProcessingState.StateName)));
            Assert.That(recurring[1].Cron, Is.EqualTo("0 3 * * *"));
            Assert.That(recurring[1].NextExecution, Is.EqualTo(Start.AddHours(1)));
        });
    }

    [Test]
    public async Task GetRecurringJobRunsAsync_ReturnsNewestRunsFirst_OnlyOfThatRecurringJob()
    {
        var first = await _storage.CreateJobAsync(Report(1) with { RecurringJobId = "nightly" }, _ct);
        await _storage.CreateJobAsync(Report(2) with { RecurringJobId = "other" }, _ct);
        await _storage.CreateJobAsync(Report(3), _ct);
        var second = await _storage.CreateJobAsync(Report(4) with { RecurringJobId = "nightly" }, _ct);
        var third = await _storage.CreateJobAsync(Report(5) with { RecurringJobId = "nightly" }, _ct);

        var runs = await Monitoring.GetRecurringJobRunsAsync("nightly", 2, _ct);
        var all = await Monitoring.GetRecurringJobRunsAsync("nightly", 10, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(r => r.Id), Is.EqualTo(new[] { third, second }));
            Assert.That(all.Select(r => r.Id), Is.EqualTo(new[] { third, second, first }));
            Assert.That(all.Select(r => r.RecurringJobId), Is.All.EqualTo("nightly"));
        });
    }

    [Test]
    public async Task GetHourlyTimelineAsync_ReturnsOldestHourFirstWithEmptyHours_WhenJobsFinishedInSomeHours()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2), Report(3), Report(4)], _ct);
        await FetchAsync("default", 4);
        await SucceedAsync(ids[0]);
        await FailAsync(ids[1], "boom");
        await _storage.AggregateCountersAsync(_ct);
        await SucceedAsync(ids[2]);
        _clock.Advance(TimeSpan.FromHours(2));
        await SucceedAsync(ids[3]);

        var timeline = await Monitoring.GetHourlyTimelineAsync(Start.AddHours(2), 4, _ct);

        var hour = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        Assert.That(timeline, Is.EqualTo(new[]
        {
            new TimelinePoint(hour.AddHours(-1), 0, 0),
            new TimelinePoint(hour, 2, 1),
            new TimelinePoint(hour.AddHours(1), 0, 0),
            new TimelinePoint(hour.AddHours(2), 1, 0),
        }));
    }

    [Test]
    public async Task GetDailyTimelineAsync_ReturnsUtcDaysOldestFirst_WhenUntilIsGivenInAnotherOffset()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2)], _ct);
        await FetchAsync("default", 2);
        await FailAsync(ids[0], "boom");
        _clock.Advance(TimeSpan.FromDays(1));
        await SucceedAsync(ids[1]);

        // 01:00 at +05:00 on the 12th is still the 11th in UTC.
        var until = new DateTimeOffset(2026, 3, 12, 1, 0, 0, TimeSpan.FromHours(5));
        var timeline = await Monitoring.GetDailyTimelineAsync(until, 3, _ct);

        Assert.That(timeline, Is.EqualTo(new[]
        {
            new TimelinePoint(new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero), 0, 0),
            new TimelinePoint(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), 0, 1),
            new TimelinePoint(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), 1, 0),
        }));
    }

    [Test]
    public async Task SearchJobsAsync_FindsTheJob_WhenTextIsItsId()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Report(2)], _ct);

        var found = await Monitoring.SearchJobsAsync(" " + ids[1] + " ", 10, _ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { ids[1] }));
    }

    // Window 10,000: every job is among the newest, read directly. Window 0: every job is older, found through the trigram indexes.
    [TestCase(10_000)]
    [TestCase(0)]
    public async Task SearchJobsAsync_FindsJobsByTypeOrMethodIgnoringCase_NewestFirstAndLimited(int recentWindow)
    {
        SetSearchWindow(recentWindow);
        var ids = await _storage.CreateJobsAsync([Report(1), Email("a@x.org", "emails"), Report(2), Report(3)], _ct);

        var byType = await Monitoring.SearchJobsAsync("reporttask", 2, _ct);
        var byMethod = await Monitoring.SearchJobsAsync("SEND", 10, _ct);
        var byDisplayName = await Monitoring.SearchJobsAsync("EmailTask.Send", 10, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(byType.Select(j => j.Id), Is.EqualTo(new[] { ids[3], ids[2] }));
            Assert.That(byMethod.Select(j => j.Id), Is.EqualTo(new[] { ids[1] }));
            Assert.That(byDisplayName.Select(j => j.Id), Is.EqualTo(new[] { ids[1] }));
        });
    }

    [TestCase(10_000)]
    [TestCase(0)]
    public async Task SearchJobsAsync_FindsJobsByArgumentText_AndTakesWildcardsLiterally(int recentWindow)
    {
        SetSearchWindow(recentWindow);
        var ids = await _storage.CreateJobsAsync([Email("alice@example.org", "emails"), Email("bob@example.org", "emails"), Email("100%_sure@x.org", "emails")], _ct);

        var alice = await Monitoring.SearchJobsAsync("ALICE@example", 10, _ct);
        var percent = await Monitoring.SearchJobsAsync("0%_s", 10, _ct);
        var nothing = await Monitoring.SearchJobsAsync("carol", 10, _ct);

        Assert.Multiple(() =>
        {
            Assert.That(alice.Select(j => j.Id), Is.EqualTo(new[] { ids[0] }));
            Assert.That(percent.Select(j => j.Id), Is.EqualTo(new[] { ids[2] }));
            Assert.That(nothing, Is.Empty);
        });
    }

    [Test]
    public async Task SearchJobsAsync_CombinesNewestAndOlderMatches_NewestFirst()
    {
        var ids = await _storage.CreateJobsAsync([Report(1), Email("a@x.org", "emails"), Report(2), Report(3), Report(4)], _ct);
        SetSearchWindow(2);

        var found = await Monitoring.SearchJobsAsync("ReportTask.Build", 10, _ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { ids[4], ids[3], ids[2], ids[0] }));
    }

    [TestCase(10_000)]
    [TestCase(0)]
    public async Task SearchJobsAsync_KeepsNewerArgumentMatches_WhenNameMatchesFillThePage(int recentWindow)
    {
        var ids = await _storage.CreateJobsAsync(
            [Email("reporttask-fan@x.org", "emails"), Report(1), Report(2), Email("reporttask-fan@y.org", "emails"), Report(3)],
            _ct);
        SetSearchWindow(recentWindow);

        var found = await Monitoring.SearchJobsAsync("ReportTask", 3, _ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { ids[4], ids[3], ids[2] }));
    }

    [Test]
    public async Task SearchJobsAsync_FindsOnlyOlderJobsHoldingTheWholeTerm_WhenItsWordsAreCommon()
    {
        var ids = await _storage.CreateJobsAsync(
            [Email("customer-4242@x.org", "emails"), Email("customer-4243@x.org", "emails"), Email("4242-customer@x.org", "emails"), Email("customer-4242@y.org", "emails")],
            _ct);
        SetSearchWindow(1);

        var found = await Monitoring.SearchJobsAsync("Customer-4242@", 10, _ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { ids[3], ids[0] }));
    }

    [Test]
    public async Task SearchJobsAsync_SearchesOnlyTheNewestJobs_WhenTermIsShorterThanATrigram()
    {
        var ids = await _storage.CreateJobsAsync([Email("xy@old.org", "emails"), Email("xy@new.org", "emails")], _ct);
        SetSearchWindow(1);

        var found = await Monitoring.SearchJobsAsync("XY", 10, _ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { ids[1] }));
    }

    [Test]
    public async Task GetTaskStatisticsAsync_ReadsOnlyThePeriodThroughIndexes_WhenTheTablesHoldMonthsOfJobsAndAYearOfDailyFigures()
    {
        await using var connection = await FillWithHistoryAsync();
        var (firstDay, endDay) = (DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-7)), DateOnly.FromDateTime(DateTime.UtcNow));

        var plan = await ExplainAsync(
            connection,
            new PostgreSqlMonitoringQueries(_storage.Schema, _storage.Queries.RecurringColumns).TaskStatistics,
            new Npgsql.NpgsqlParameter<DateTimeOffset>("from", DateTimeOffset.UtcNow.AddDays(-7)),
            new Npgsql.NpgsqlParameter<DateTimeOffset>("to", DateTimeOffset.UtcNow),
            new Npgsql.NpgsqlParameter<DateOnly>("first_day", firstDay),
            new Npgsql.NpgsqlParameter<DateOnly>("end_day", endDay));

        Assert.That(plan, Does.Contain("job_state_changed_ix").And.Contain("task_statistics_daily_pkey").And.Not.Contain("Seq Scan"), plan);
    }

    [Test]
    public async Task DeleteExpired_DropsOldTaskStatisticsThroughThePrimaryKey_WhenTheTableHoldsAYearOfDailyFigures()
    {
        await using var connection = await FillWithHistoryAsync();
        var now = DateTimeOffset.UtcNow;

        var plan = await ExplainAsync(
            connection,
            _storage.Queries.DeleteExpired,
            new Npgsql.NpgsqlParameter<int>("batch", 1000),
            new Npgsql.NpgsqlParameter<DateTimeOffset>("now", now),
            new Npgsql.NpgsqlParameter<string>("now_text", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            new Npgsql.NpgsqlParameter<DateTimeOffset>("expire", now.AddDays(1)),
            new Npgsql.NpgsqlParameter<string>("hour", "2026-03-10T09"),
            new Npgsql.NpgsqlParameter<string>("day", "2026-03-10"),
            new Npgsql.NpgsqlParameter<DateOnly>("oldest_statistics_day", DateOnly.FromDateTime(now.UtcDateTime.AddDays(-399))));

        Assert.That(plan, Does.Contain("job_expire_ix").And.Contain("task_statistics_daily_pkey").And.Not.Contain("Seq Scan on task_statistics_daily"), plan);
    }

    // Defaults: every row fits the first walk and the sample. Small budgets: pages and counts are found by walking the
    // newest jobs in order when the filter is common there, by the trigram indexes when it is rare or the budget runs out.
    [TestCase(1_000, 40_000, 1_000)]
    [TestCase(10, 40, 20)]
    [TestCase(1, 1, 1)]
    public async Task FilteredFailedJobs_PagesAndCountsMatchEveryFailedJobTestedOneByOne_WhateverWayTheyAreFound(int walkMinimum, int walkMaximum, int sample)
    {
        await FillWithFailedJobsAsync();
        var monitoring = (PostgreSqlMonitoringApi)Monitoring;
        monitoring.FailedWalkMinimum = walkMinimum;
        monitoring.FailedWalkMaximum = walkMaximum;
        monitoring.FailedCountSample = sample;
        var failed = await Monitoring.GetJobsAsync(FailedState.StateName, 0, 1_000, _ct);
        Assert.That(failed, Has.Count.EqualTo(392));
        FailedJobFilter[] filters =
        [
            new(Method: "ReportTask.Build"),
            new(Method: "emailtask"),
            new(ExceptionType: "Timeout"),
            new(Method: "Build", Queue: "emails"),
            new(Method: "Build", ExceptionType: "InvalidOperation"),
            new(Method: "NoSuchMethod"),
        ];

        foreach (var filter in filters)
        {
            var expected = failed.Where(job => Matches(job, filter)).Select(job => job.Id).ToList();
            foreach (var (skip, take) in new[] { (0, 10), (10, 10), (130, 10), (150, 20), (155, 10), (0, 500) })
            {
                var page = await Monitoring.GetFailedJobsAsync(filter, skip, take, _ct);
                Assert.That(page.Select(j => j.Id), Is.EqualTo(expected.Skip(skip).Take(take)), $"{filter}, skip {skip}, take {take}");
            }

            foreach (var limit in new[] { 1, 50, 140, expected.Count - 1, expected.Count, 1_000 }.Where(l => l > 0))
            {
                Assert.That(
                    await Monitoring.CountFailedJobsAsync(filter, limit, _ct),
                    Is.EqualTo(LimitedCount.Of(expected.Count, limit)),
                    $"{filter}, limit {limit}");
            }

            var walked = new List<string>();
            FailedJobCursor? after = null;
            IReadOnlyList<JobSummary> batch;
            while ((batch = await Monitoring.GetFailedJobsAfterAsync(filter, after, 7, _ct)).Count > 0)
            {
                walked.AddRange(batch.Select(j => j.Id));
                after = FailedJobCursor.After(batch[^1]);
                Assert.That(walked, Has.Count.LessThanOrEqualTo(expected.Count), $"{filter}: the walk must end");
            }

            Assert.That(walked, Is.EqualTo(expected), $"{filter}, walked by cursor");
        }
    }

    [Test]
    public async Task FilteredFailedJobs_ReadTheNewestFailedJobsThroughTheStateIndex_WhenAFilterMatchesMostOfThem()
    {
        await using var connection = await FillWithHistoryAsync();
        var queries = new PostgreSqlMonitoringQueries(_storage.Schema, _storage.Queries.RecurringColumns);
        var filter = new FailedJobFilter(Method: "ReportTask.Build");
        Npgsql.NpgsqlParameter[] Parameters() =>
        [
            new Npgsql.NpgsqlParameter<string>("method", "%ReportTask.Build%"),
            new Npgsql.NpgsqlParameter<int>("skip", 20),
            new Npgsql.NpgsqlParameter<int>("take", 20),
            new Npgsql.NpgsqlParameter<int>("budget", 2_000),
            new Npgsql.NpgsqlParameter<long>("stop_at", 10_001),
        ];

        var page = await ExplainAsync(connection, queries.FailedJobsWalk(filter, afterCursor: false), Parameters());
        var count = await ExplainAsync(connection, queries.CountFailedJobsWalk(filter), Parameters());

        Assert.That(page, Does.Contain("job_state_changed_ix").And.Not.Contain("trgm").And.Not.Contain("Sort"), page);
        Assert.That(count, Does.Contain("job_state_changed_ix").And.Not.Contain("trgm").And.Not.Contain("Sort"), count);
    }

    /// <summary>
    /// 400 jobs a second apart (two share each second), 392 of them Failed. Among the newest 150, nine in ten are
    /// ReportTask.Build; among the older ones, one in ten. One in 37 failed with a timeout; one in three was in "emails".
    /// </summary>
    private async Task FillWithFailedJobsAsync()
    {
        await _storage.InitializeAsync(_ct);
        await using var connection = await PostgreSqlTestDatabase.OpenConnectionAsync();
        await using var fill = new Npgsql.NpgsqlCommand(
            $"""
            INSERT INTO "{_schema}".job (type, method, parameter_types, arguments, queue, state, state_data, state_changed_at, created_at)
            SELECT CASE WHEN report THEN 'Jobs.Tests.Reports.ReportTask, Jobs.Tests' ELSE 'Mail.EmailTask`1[[System.String]], Mail' END,
                   CASE WHEN report THEN 'Build' ELSE 'Send' END,
                   ARRAY[]::text[], '[]', CASE WHEN i % 3 = 0 THEN 'emails' ELSE 'default' END,
                   CASE WHEN i % 50 = 7 THEN 'Succeeded' ELSE 'Failed' END,
                   jsonb_build_object('ExceptionType', CASE WHEN i % 37 = 0 THEN 'System.TimeoutException' ELSE 'System.InvalidOperationException' END,
                                      'ExceptionMessage', 'boom'),
                   @start - make_interval(secs => i / 2), @start - make_interval(secs => i / 2)
            FROM (SELECT i, (i <= 150 AND i % 10 <> 0) OR (i > 150 AND i % 10 = 0) AS report FROM generate_series(1, 400) i) g;
            ANALYZE "{_schema}".job;
            """,
            connection);
        fill.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset>("start", Start));
        await fill.ExecuteNonQueryAsync();
    }

    private static bool Matches(JobSummary job, FailedJobFilter filter) =>
        (filter.Method is null || job.DisplayName.Contains(filter.Method, StringComparison.OrdinalIgnoreCase))
        && (filter.ExceptionType is null
            || (job.StateData.TryGetValue("ExceptionType", out var exception) && exception.Contains(filter.ExceptionType, StringComparison.OrdinalIgnoreCase)))
        && (filter.Queue is null || job.Queue == filter.Queue);

    /// <summary>
    /// Migrates the schema and fills it as months of use would: 200,000 jobs over 140 days, and a year of daily
    /// figures of 50 tasks. Returns an open connection.
    /// </summary>
    private async Task<Npgsql.NpgsqlConnection> FillWithHistoryAsync()
    {
        await _storage.InitializeAsync(_ct);
        var connection = await PostgreSqlTestDatabase.OpenConnectionAsync();
        await using var fill = new Npgsql.NpgsqlCommand(
            $"""
            INSERT INTO "{_schema}".job (type, method, parameter_types, arguments, queue, state, state_data, state_changed_at, created_at)
            SELECT 'Reports.ReportTask, Reports', 'Build', ARRAY[]::text[], '[]', 'default',
                   CASE WHEN i % 10 = 0 THEN 'Failed' WHEN i % 10 = 1 THEN 'Enqueued' ELSE 'Succeeded' END,
                   jsonb_build_object('PerformanceDuration', (i % 1000)::text),
                   now() - make_interval(mins => i), now() - make_interval(mins => i)
            FROM generate_series(1, 200000) i;
            INSERT INTO "{_schema}".task_statistics_daily (day, type, method, recurring_job_id, succeeded, failed, timed, total_duration_ms, max_duration_ms)
            SELECT current_date - d, 'Reports.ReportTask' || t || ', Reports', 'Build', CASE WHEN t % 2 = 0 THEN 'report-' || t ELSE '' END,
                   1000, 10, 1000, 250000, 900
            FROM generate_series(1, 400) d, generate_series(1, 50) t;
            ANALYZE "{_schema}".job;
            ANALYZE "{_schema}".task_statistics_daily;
            """,
            connection);
        await fill.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<string> ExplainAsync(Npgsql.NpgsqlConnection connection, string sql, params Npgsql.NpgsqlParameter[] parameters)
    {
        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN " + sql, connection);
        explain.Parameters.AddRange(parameters);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return string.Join(Environment.NewLine, plan);
    }

    private void SetSearchWindow(int jobs) => ((PostgreSqlMonitoringApi)Monitoring).SearchRecentWindow = jobs;

    private async Task FetchAsync(string queue, int count) =>
        await _storage.FetchNextAsync(new FetchRequest([queue], count, "server-1"), _ct);

    private async Task SucceedAsync(string id) =>
        await _storage.ChangeStatesAsync(
            [new StateChange(id, new SucceededState(null, TimeSpan.FromMilliseconds(12), TimeSpan.FromMilliseconds(250))) { ExpectedStates = [ProcessingState.StateName] }],
            _ct);

    private async Task FailAsync(string id, string message) =>
        await _storage.ChangeStatesAsync(
            [new StateChange(id, new FailedState(new InvalidOperationException(message))) { ExpectedStates = [ProcessingState.StateName] }],
            _ct);

    private async Task RetryAsync(string id, DateTimeOffset at) =>
        await _storage.ChangeStatesAsync(
            [new StateChange(id, new ScheduledState(at, "Retry attempt 1 of 10: boom")) { ExpectedStates = [ProcessingState.StateName], RetryCount = 1 }],
            _ct);

    private static InvocationData ReportInvocation(int id) =>
        InvocationData.Serialize(new Job(typeof(ReportTask), typeof(ReportTask).GetMethod(nameof(ReportTask.Build))!, [id]));

    private static NewJob Report(int id, IState? state = null) => new(ReportInvocation(id), "default", state ?? new EnqueuedState());

    private static NewJob Email(string to, string queue, IState? state = null) =>
        new(InvocationData.Serialize(new Job(typeof(EmailTask), typeof(EmailTask).GetMethod(nameof(EmailTask.Send))!, [to])), queue, state ?? new EnqueuedState());

    public sealed class ReportTask
    {
        public void Build(int reportId) => ArgumentOutOfRangeException.ThrowIfNegative(reportId);
    }

    public sealed class EmailTask
    {
        public void Send(string to) => ArgumentException.ThrowIfNullOrEmpty(to);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
