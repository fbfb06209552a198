using Jobs.Common;
using Jobs.Filters;
using Jobs.Recurring;
using Jobs.Server;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Jobs.Tests.Infrastructure;
using Moq;

namespace Jobs.Tests.Recurring;

public sealed class RecurringJobSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 20, 0, TimeSpan.Zero);

    private ManualTimeProvider _time = null!;
    private InMemoryJobStorage _storage = null!;
    private RecurringJobManager _manager = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider(Start);
        _storage = new InMemoryJobStorage(timeProvider: _time);
        _manager = new RecurringJobManager(_storage, _time);
    }

    [TearDown]
    public async Task TearDown() => await _storage.DisposeAsync();

    [Test]
    public async Task RunOnce_EnqueuesEachOccurrenceOnce_WhenClockPassesIt()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("hourly", x => x.Run(1), Jobs.Cron.Hourly(), new RecurringJobOptions { AllowOverlap = true, Queue = "reports" });
        var scheduler = CreateSut();

        await scheduler.RunOnceAsync(Context());
        var beforeDue = await Runs("hourly");
        _time.SetUtcNow(At(11, 0, 0.5));
        await scheduler.RunOnceAsync(Context());
        await scheduler.RunOnceAsync(Context());
        var afterFirst = await Runs("hourly");
        _time.SetUtcNow(At(12, 0, 0.3));
        await scheduler.RunOnceAsync(Context());

        var runs = await Runs("hourly");
        var job = await _storage.GetJobAsync(runs[0].Id, CancellationToken.None);
        var details = await _storage.Monitoring.GetJobDetailsAsync(runs[0].Id, CancellationToken.None);
        var record = await Record("hourly");
        Assert.Multiple(() =>
        {
            Assert.That(beforeDue, Is.Empty);
            Assert.That(afterFirst, Has.Count.EqualTo(1));
            Assert.That(runs, Has.Count.EqualTo(2));
            Assert.That(job!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(job.Queue, Is.EqualTo("reports"));
            Assert.That(job.RecurringJobId, Is.EqualTo("hourly"));
            Assert.That(details!.History[^1].Reason, Is.EqualTo(RecurringJobScheduler.TriggeredReason));
            Assert.That(record.NextExecution, Is.EqualTo(At(13, 0)));
        });
    }

    [Test]
    public async Task RunOnce_CreatesExactlyOneJobPerOccurrence_WhenThreeSchedulersRace()
    {
        for (var i = 0; i < 20; i++)
        {
            var n = i;
            _manager.AddOrUpdate<RecurringSampleJob>($"job-{i}", x => x.Run(n), Jobs.Cron.Minutely(), new RecurringJobOptions { AllowOverlap = true });
        }

        var schedulers = Enumerable.Range(0, 3).Select(_ => CreateSut()).ToArray();
        for (var occurrence = 1; occurrence <= 5; occurrence++)
        {
            _time.SetUtcNow(At(10, 20 + occurrence, 0.2));
            var contexts = schedulers.Select((_, i) => Context($"server-{i}")).ToArray();
            await Task.WhenAll(schedulers.Select((s, i) => Task.Run(() => s.RunOnceAsync(contexts[i]))));
        }

        var counts = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            counts.Add((await Runs($"job-{i}")).Count);
        }

        Assert.That(counts, Is.All.EqualTo(5));
    }

    [Test]
    public async Task RunOnce_RecordsOverlapSkip_WhenPreviousRunIsStillEnqueued()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("no-overlap", x => x.Run(1), Jobs.Cron.Minutely());
        var scheduler = CreateSut();

        _time.SetUtcNow(At(10, 21, 0.5));
        await scheduler.RunOnceAsync(Context());
        _time.SetUtcNow(At(10, 22, 0.5));
        await scheduler.RunOnceAsync(Context());

        var runs = await Runs("no-overlap");
        var record = await Record("no-overlap");
        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Count.EqualTo(1));
            Assert.That(record.LastSkipReason, Does.Contain(runs[0].Id));
            Assert.That(record.LastSkippedAt, Is.EqualTo(At(10, 22, 0.5)));
            Assert.That(record.NextExecution, Is.EqualTo(At(10, 23)));
        });
    }

    [Test]
    public async Task RunOnce_EnqueuesNothing_WhenRecurringJobIsPaused()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("paused", x => x.Run(1), Jobs.Cron.Minutely(), new RecurringJobOptions { AllowOverlap = true });
        _manager.Pause("paused");
        var scheduler = CreateSut();

        _time.SetUtcNow(At(10, 30));
        var pass = await scheduler.RunOnceAsync(Context());

        Assert.Multiple(async () =>
        {
            Assert.That(pass.Due, Is.Zero);
            Assert.That(await Runs("paused"), Is.Empty);
        });
    }

    [Test]
    public async Task RunOnce_CreatesOneCatchUpJob_WhenSeveralOccurrencesWereMissedUnderRunOnce()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("catch-up", x => x.Run(1), Jobs.Cron.Hourly());
        var scheduler = CreateSut();

        _time.SetUtcNow(At(15, 10)); // down from before 11:00 until 15:10: five occurrences missed
        await scheduler.RunOnceAsync(Context());
        await scheduler.RunOnceAsync(Context());

        var record = await Record("catch-up");
        Assert.Multiple(async () =>
        {
            Assert.That(await Runs("catch-up"), Has.Count.EqualTo(1));
            Assert.That(record.NextExecution, Is.EqualTo(At(16, 0)));
            Assert.That(record.LastSkipReason, Is.Null);
        });
    }

    [Test]
    public async Task RunOnce_RecordsSkipAndCreatesNothing_WhenOccurrencesWereMissedUnderSkip()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("skip", x => x.Run(1), Jobs.Cron.Hourly(), new RecurringJobOptions { MisfireHandling = MisfireHandling.Skip });
        var scheduler = CreateSut();

        _time.SetUtcNow(At(15, 10));
        await scheduler.RunOnceAsync(Context());
        var afterDowntime = await Runs("skip");
        var record = await Record("skip");
        _time.SetUtcNow(At(16, 0, 0.5));
        await scheduler.RunOnceAsync(Context());

        Assert.Multiple(async () =>
        {
            Assert.That(afterDowntime, Is.Empty);
            Assert.That(record.LastSkipReason, Is.EqualTo("Missed occurrence at 2026-03-10 11:00:00Z skipped (MisfireHandling.Skip)"));
            Assert.That(record.NextExecution, Is.EqualTo(At(16, 0)));
            Assert.That(await Runs("skip"), Has.Count.EqualTo(1), "the schedule resumes with the next occurrence");
        });
    }

    [Test]
    public async Task RunOnce_RunsLateOccurrence_WhenWithinMisfireToleranceUnderSkip()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("late", x => x.Run(1), Jobs.Cron.Hourly(), new RecurringJobOptions { MisfireHandling = MisfireHandling.Skip });
        var scheduler = CreateSut();

        _time.SetUtcNow(At(11, 0, 45));
        await scheduler.RunOnceAsync(Context());

        Assert.That(await Runs("late"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RunOnce_SkipsBrokenJobsAndSchedulesOthers_WhenInvocationOrCronIsInvalid()
    {
        var missingType = new InvocationData("Jobs.Tests.NoSuchType, Jobs.Tests", "Run", [], "[]");
        await _storage.AddOrUpdateRecurringJobAsync(
            new RecurringJobDefinition("a-unloadable", missingType, "0 * * * *", "UTC", "default", At(11, 0)), CancellationToken.None);
        await _storage.AddOrUpdateRecurringJobAsync(
            new RecurringJobDefinition("b-bad-cron", missingType, "0 25 * * *", "UTC", "default", At(11, 0)), CancellationToken.None);
        await _storage.AddOrUpdateRecurringJobAsync(
            new RecurringJobDefinition("c-bad-zone", missingType, "0 * * * *", "Mars/Base", "default", At(11, 0)), CancellationToken.None);
        _manager.AddOrUpdate<RecurringSampleJob>("d-good", x => x.Run(1), Jobs.Cron.Hourly());
        var scheduler = CreateSut();

        _time.SetUtcNow(At(11, 0, 0.5));
        await scheduler.RunOnceAsync(Context());
        var secondPass = await scheduler.RunOnceAsync(Context());

        var unloadable = await Record("a-unloadable");
        var badCron = await Record("b-bad-cron");
        var badZone = await Record("c-bad-zone");
        Assert.Multiple(async () =>
        {
            Assert.That(await Runs("d-good"), Has.Count.EqualTo(1));
            Assert.That(await Runs("a-unloadable"), Is.Empty);
            Assert.That(unloadable.LastSkipReason, Does.Contain("could not be loaded").And.Contain("NoSuchType"));
            Assert.That(unloadable.NextExecution, Is.EqualTo(At(12, 0)));
            Assert.That(badCron.LastSkipReason, Does.Contain("'0 25 * * *'"));
            Assert.That(badCron.NextExecution, Is.EqualTo(At(11, 0, 0.5) + RecurringJobScheduler.InvalidScheduleRetryDelay));
            Assert.That(badZone.LastSkipReason, Does.Contain("'Mars/Base'"));
            Assert.That(secondPass.Due, Is.Zero, "nothing hot-loops");
        });
    }

    [Test]
    public async Task RunOnce_FiresEveryRealHour_WhenHourlyJobCrossesNewYorkFallBack()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 1, 4, 30, 0, TimeSpan.Zero));
        await using var storage = new InMemoryJobStorage(timeProvider: time);
        new RecurringJobManager(storage, time).AddOrUpdate<RecurringSampleJob>(
            "ny", x => x.Run(1), Jobs.Cron.Hourly(), new RecurringJobOptions { TimeZoneId = "America/New_York", AllowOverlap = true });
        var scheduler = CreateSut();

        var nextRuns = new List<DateTimeOffset?>();
        for (var hour = 5; hour <= 7; hour++)
        {
            time.SetUtcNow(new DateTimeOffset(2026, 11, 1, hour, 0, 1, TimeSpan.Zero));
            await scheduler.RunOnceAsync(new BackgroundProcessContext("server", storage, new BackgroundJobServerOptions(), time, CancellationToken.None));
            nextRuns.Add((await storage.GetRecurringJobAsync("ny", CancellationToken.None))!.NextExecution);
        }

        Assert.Multiple(async () =>
        {
            Assert.That((await storage.Monitoring.GetRecurringJobRunsAsync("ny", 10, CancellationToken.None)).Count, Is.EqualTo(3));
            Assert.That(nextRuns, Is.EqualTo(new DateTimeOffset?[]
            {
                new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(-5)), // the repeated 01:00
                new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.FromHours(-5)),
                new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.FromHours(-5)),
            }));
        });
    }

    [Test]
    public async Task RunOnce_RunsAtThreeLocal_WhenDailyTimeFallsInBerlinSpringGap()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        await using var storage = new InMemoryJobStorage(timeProvider: time);
        new RecurringJobManager(storage, time).AddOrUpdate<RecurringSampleJob>(
            "berlin", x => x.Run(1), Jobs.Cron.Daily(2, 30), new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin") });
        var scheduler = CreateSut();
        var context = new BackgroundProcessContext("server", storage, new BackgroundJobServerOptions(), time, CancellationToken.None);

        time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 0, 59, 59, TimeSpan.Zero)); // 01:59:59 CET, just before the gap
        await scheduler.RunOnceAsync(context);
        var beforeGap = await storage.Monitoring.GetRecurringJobRunsAsync("berlin", 10, CancellationToken.None);
        time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 1, 0, 1, TimeSpan.Zero)); // 03:00:01 CEST
        await scheduler.RunOnceAsync(context);

        var runs = await storage.Monitoring.GetRecurringJobRunsAsync("berlin", 10, CancellationToken.None);
        var record = await storage.GetRecurringJobAsync("berlin", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(beforeGap, Is.Empty);
            Assert.That(runs, Has.Count.EqualTo(1));
            Assert.That(record!.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 30, 2, 30, 0, TimeSpan.FromHours(2))));
        });
    }

    [Test]
    public async Task ExecuteAsync_EnqueuesOccurrenceAndStops_WhenClockReachesItThenStopIsRequested()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("loop", x => x.Run(1), Jobs.Cron.Minutely());
        var scheduler = CreateSut();
        using var stopping = new CancellationTokenSource();
        var options = new BackgroundJobServerOptions { SchedulePollingInterval = TimeSpan.FromSeconds(15) };
        var context = new BackgroundProcessContext("server", _storage, options, _time, stopping.Token);

        var loop = Task.Run(() => scheduler.ExecuteAsync(context));
        // Move the clock in small steps until the loop has woken past 10:21 and enqueued the occurrence.
        var enqueued = SpinWait.SpinUntil(
            () =>
            {
                if (_time.GetUtcNow() < At(10, 25))
                {
                    _time.Advance(TimeSpan.FromSeconds(1));
                }

                return Runs("loop").GetAwaiter().GetResult().Count == 1;
            },
            TimeSpan.FromSeconds(10));
        await stopping.CancelAsync();
        var stopped = await Task.WhenAny(loop, Task.Delay(TimeSpan.FromSeconds(10))) == loop;

        Assert.Multiple(() =>
        {
            Assert.That(enqueued, Is.True, "the occurrence at 10:21 was enqueued");
            Assert.That(stopped, Is.True, "the loop ended on cancellation");
            Assert.That(loop.IsFaulted, Is.False);
        });
    }

    [Test]
    public async Task RunOnce_RunsClientFilters_WhenTheyRerouteTheRun()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("filtered", x => x.Run(1), Jobs.Cron.Hourly());
        var filter = new RecordingClientFilter { RerouteTo = "critical" };
        var scheduler = new RecurringJobScheduler(filters: new JobFilterProvider([filter]));

        _time.SetUtcNow(At(11, 0, 0.5));
        await scheduler.RunOnceAsync(Context());

        var runs = await Runs("filtered");
        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Count.EqualTo(1));
            Assert.That(runs[0].Queue, Is.EqualTo("critical"));
            Assert.That(filter.Calls, Is.EqualTo(new[] { "creating RecurringSampleJob.Run", $"created {runs[0].Id}" }));
        });
    }

    [Test]
    public async Task RunOnce_RecordsSkipNamingTheFilter_WhenClientFilterCancels()
    {
        _manager.AddOrUpdate<RecurringSampleJob>("canceled", x => x.Run(1), Jobs.Cron.Hourly());
        var filter = new RecordingClientFilter { Cancel = true };
        var scheduler = new RecurringJobScheduler(filters: new JobFilterProvider([filter]));

        _time.SetUtcNow(At(11, 0, 0.5));
        await scheduler.RunOnceAsync(Context());

        var record = await Record("canceled");
        Assert.Multiple(async () =>
        {
            Assert.That(await Runs("canceled"), Is.Empty);
            Assert.That(record.LastSkipReason, Does.Contain(nameof(RecordingClientFilter)));
            Assert.That(record.NextExecution, Is.EqualTo(At(12, 0)));
            Assert.That(filter.Calls, Is.EqualTo(new[] { "creating RecurringSampleJob.Run", "canceled" }));
        });
    }

    [Test]
    public async Task RunOnce_GoesOnWithOtherJobs_WhenClaimingOneThrows()
    {
        var invocation = InvocationData.Serialize(JobExpression.Parse((System.Linq.Expressions.Expression<Action<RecurringSampleJob>>)(x => x.Run(1)), typeof(RecurringSampleJob)));
        var due = At(11, 0);
        var storage = new Mock<IJobStorage>();
        storage.Setup(s => s.GetDueRecurringJobsAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([DueRecord("a-failing", invocation, due), DueRecord("b-fine", invocation, due)]);
        storage.Setup(s => s.ClaimRecurringOccurrenceAsync(It.Is<RecurringOccurrenceClaim>(c => c.RecurringJobId == "a-failing"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("connection reset"));
        storage.Setup(s => s.ClaimRecurringOccurrenceAsync(It.Is<RecurringOccurrenceClaim>(c => c.RecurringJobId == "b-fine"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RecurringClaimResult(RecurringClaimOutcome.Created, "42"));
        _time.SetUtcNow(At(11, 0, 0.5));

        var pass = await CreateSut().RunOnceAsync(new BackgroundProcessContext("server", storage.Object, new BackgroundJobServerOptions(), _time, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(pass.Due, Is.EqualTo(2));
            Assert.That(pass.Claimed, Is.EqualTo(1));
            storage.Verify(s => s.ClaimRecurringOccurrenceAsync(
                It.Is<RecurringOccurrenceClaim>(c => c.RecurringJobId == "b-fine" && c.ExpectedNextExecution == due && c.NewNextExecution == At(12, 0)
                    && c.Job != null && c.Job.RecurringJobId == "b-fine" && c.SkipIfPreviousRunning),
                It.IsAny<CancellationToken>()));
        });
    }

    [Test]
    public async Task ExecuteAsync_KeepsPolling_WhenReadingDueJobsFails()
    {
        var storage = new Mock<IJobStorage>();
        var calls = 0;
        storage.Setup(s => s.GetDueRecurringJobsAsync(It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref calls) == 1
                ? Task.FromException<IReadOnlyList<RecurringJobRecord>>(new InvalidOperationException("database restarting"))
                : Task.FromResult<IReadOnlyList<RecurringJobRecord>>([]));
        using var stopping = new CancellationTokenSource();
        var context = new BackgroundProcessContext("server", storage.Object, new BackgroundJobServerOptions(), _time, stopping.Token);

        var loop = Task.Run(() => CreateSut().ExecuteAsync(context));
        var polledAgain = SpinWait.SpinUntil(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                return Volatile.Read(ref calls) >= 3;
            },
            TimeSpan.FromSeconds(10));
        await stopping.CancelAsync();
        var stopped = await Task.WhenAny(loop, Task.Delay(TimeSpan.FromSeconds(10))) == loop;

        Assert.Multiple(() =>
        {
            Assert.That(polledAgain, Is.True);
            Assert.That(stopped, Is.True);
            Assert.That(loop.IsFaulted, Is.False);
        });
    }

    [Test]
    public void NextDelay_WakesForTheEarliestNextRun_WhenSoonerThanPollingInterval()
    {
        var now = At(10, 0);
        var interval = TimeSpan.FromSeconds(15);

        Assert.Multiple(() =>
        {
            Assert.That(RecurringJobScheduler.NextDelay(new SchedulerPass(1, 1, false, now.AddSeconds(5)), interval, now), Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(RecurringJobScheduler.NextDelay(new SchedulerPass(1, 1, false, now.AddMinutes(5)), interval, now), Is.EqualTo(interval));
            Assert.That(RecurringJobScheduler.NextDelay(new SchedulerPass(1000, 1000, true, null), interval, now), Is.EqualTo(TimeSpan.Zero));
            Assert.That(RecurringJobScheduler.NextDelay(new SchedulerPass(1000, 0, true, null), interval, now), Is.EqualTo(interval));
        });
    }

    [Test]
    public void GetMisfireTolerance_IsOneMinuteOrTwicePollingInterval_WhenIntervalIsShortOrLong()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RecurringJobScheduler.GetMisfireTolerance(TimeSpan.FromSeconds(1)), Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(RecurringJobScheduler.GetMisfireTolerance(TimeSpan.FromMinutes(2)), Is.EqualTo(TimeSpan.FromMinutes(4)));
        });
    }

    private static RecurringJobScheduler CreateSut() => new();

    private static RecurringJobRecord DueRecord(string id, InvocationData invocation, DateTimeOffset due) =>
        new(id, invocation, "0 * * * *", "UTC", "default", MisfireHandling.RunOnce, AllowOverlap: false, Paused: false,
            NextExecution: due, LastExecution: null, LastJobId: null, LastJobState: null, CreatedAt: due.AddDays(-1));

    private static DateTimeOffset At(int hour, int minute, double seconds = 0) =>
        new DateTimeOffset(2026, 3, 10, hour, minute, 0, TimeSpan.Zero).AddSeconds(seconds);

    private BackgroundProcessContext Context(string serverId = "server-1") =>
        new(serverId, _storage, new BackgroundJobServerOptions(), _time, CancellationToken.None);

    private async Task<IReadOnlyList<JobSummary>> Runs(string recurringJobId) =>
        await _storage.Monitoring.GetRecurringJobRunsAsync(recurringJobId, 100, CancellationToken.None);

    private async Task<RecurringJobRecord> Record(string recurringJobId) =>
        (await _storage.GetRecurringJobAsync(recurringJobId, CancellationToken.None))!;
}
