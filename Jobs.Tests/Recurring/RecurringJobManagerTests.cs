using Jobs.Common;
using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Jobs.Tests.Infrastructure;
using Moq;

namespace Jobs.Tests.Recurring;

public sealed class RecurringJobManagerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 20, 0, TimeSpan.Zero);

    private ManualTimeProvider _time = null!;
    private InMemoryJobStorage _storage = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider(Now);
        _storage = new InMemoryJobStorage(timeProvider: _time);
    }

    [TearDown]
    public async Task TearDown() => await _storage.DisposeAsync();

    [Test]
    public async Task AddOrUpdate_StoresDefinitionWithNextOccurrence_WhenJobIsNew()
    {
        var manager = CreateSut();

        await manager.AddOrUpdateAsync<RecurringSampleJob>("report", x => x.Run(42), "0 3 * * *", new RecurringJobOptions { TimeZoneId = "Europe/Berlin" });

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.That(record, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(record!.Cron, Is.EqualTo("0 3 * * *"));
            Assert.That(record.TimeZoneId, Is.EqualTo("Europe/Berlin"));
            Assert.That(record.Queue, Is.EqualTo(EnqueuedState.DefaultQueue));
            Assert.That(record.Misfire, Is.EqualTo(MisfireHandling.RunOnce));
            Assert.That(record.AllowOverlap, Is.False);
            Assert.That(record.Paused, Is.False);
            Assert.That(record.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 11, 3, 0, 0, TimeSpan.FromHours(1))));
            Assert.That(record.Invocation.Deserialize().Args, Is.EqualTo(new object[] { 42 }));
        });
    }

    [Test]
    public async Task AddOrUpdate_UsesQueueAttribute_WhenOptionsNameNoQueue()
    {
        var manager = CreateSut();

        manager.AddOrUpdate<RecurringSampleJob>("critical", x => x.RunCritical(), Jobs.Cron.Hourly());
        manager.AddOrUpdate<RecurringSampleJob>("named", x => x.RunCritical(), Jobs.Cron.Hourly(), new RecurringJobOptions { Queue = "reports" });

        var attributed = await _storage.GetRecurringJobAsync("critical", CancellationToken.None);
        var named = await _storage.GetRecurringJobAsync("named", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(attributed!.Queue, Is.EqualTo("critical"));
            Assert.That(named!.Queue, Is.EqualTo("reports"));
        });
    }

    [Test]
    public async Task AddOrUpdate_StoresIanaZone_WhenStaticMethodUsesWindowsZoneId()
    {
        var manager = CreateSut();

        manager.AddOrUpdate("static", () => RecurringSampleJob.RunStatic("hi"), Jobs.Cron.Daily(), new RecurringJobOptions { TimeZoneId = "Eastern Standard Time" });

        var record = await _storage.GetRecurringJobAsync("static", CancellationToken.None);
        Assert.That(record!.TimeZoneId, Is.EqualTo("America/New_York"));
    }

    [Test]
    public async Task AddOrUpdate_UsesTimeZoneId_WhenBothZoneAndIdAreSet()
    {
        var manager = CreateSut();
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin") };
        options.TimeZoneId = "America/New_York";

        await manager.AddOrUpdateAsync<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Daily(18), options);

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(record!.TimeZoneId, Is.EqualTo("America/New_York"));
            Assert.That(record.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 18, 0, 0, TimeSpan.FromHours(-4))));
        });
    }

    [Test]
    public async Task AddOrUpdate_KeepsPausedAndNextRun_WhenOnlyTheJobChanges()
    {
        var manager = CreateSut();
        await manager.AddOrUpdateAsync<RecurringSampleJob>("report", x => x.Run(1), "*/10 * * * *");
        await manager.PauseAsync("report");
        var before = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(25));

        await manager.AddOrUpdateAsync<RecurringSampleJob>("report", x => x.Run(2), "*/10 * * * *", new RecurringJobOptions { Queue = "reports" });

        var after = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(after!.Paused, Is.True);
            Assert.That(after.NextExecution, Is.EqualTo(before!.NextExecution));
            Assert.That(after.Queue, Is.EqualTo("reports"));
            Assert.That(after.Invocation.Deserialize().Args, Is.EqualTo(new object[] { 2 }));
        });
    }

    [Test]
    public async Task AddOrUpdate_RecomputesNextRun_WhenCronChanges()
    {
        var manager = CreateSut();
        await manager.AddOrUpdateAsync<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Daily(3));

        await manager.AddOrUpdateAsync<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Hourly(30));

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.That(record!.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 10, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void AddOrUpdate_ThrowsAndStoresNothing_WhenArgumentsAreInvalid()
    {
        var storage = new Mock<IJobStorage>(MockBehavior.Strict);
        var manager = new RecurringJobManager(storage.Object, _time);

        Assert.Multiple(() =>
        {
            Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>(" ", x => x.Run(1), Jobs.Cron.Daily()),
                Throws.ArgumentException.With.Message.Contains("must not be empty"));
            Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>(new string('x', 101), x => x.Run(1), Jobs.Cron.Daily()),
                Throws.ArgumentException.With.Message.Contains("101 characters"));
            Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>("id", x => x.Run(1), "61 * * * *"),
                Throws.ArgumentException.With.Message.Contains("'61 * * * *'"));
            Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>("id", x => x.Run(1), Jobs.Cron.Daily(), new RecurringJobOptions { TimeZoneId = "Europe/Atlantis" }),
                Throws.ArgumentException.With.Message.Contains("'Europe/Atlantis'"));
            Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>("id", x => x.Run(1), Jobs.Cron.Daily(), new RecurringJobOptions { Queue = "Bad Queue!" }),
                Throws.ArgumentException.With.Message.Contains("Queue name 'Bad Queue!'"));
            Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>("id", x => x.Value.ToString(), Jobs.Cron.Daily()),
                Throws.ArgumentException.With.Message.Contains("must be called on the lambda's parameter"));
        });
        storage.VerifyNoOtherCalls();
    }

    [Test]
    public void AddOrUpdate_Throws_WhenZoneIsNotASystemZone()
    {
        var custom = TimeZoneInfo.CreateCustomTimeZone("Custom/Plus3", TimeSpan.FromHours(3), "Plus 3", "Plus 3");
        var manager = CreateSut();

        Assert.That(() => manager.AddOrUpdate<RecurringSampleJob>("id", x => x.Run(1), Jobs.Cron.Daily(), new RecurringJobOptions { TimeZone = custom }),
            Throws.ArgumentException.With.Message.Contains("not a system time zone"));
    }

    [Test]
    public async Task AddOrUpdate_PassesDefinitionToStorage_WhenValid()
    {
        var storage = new Mock<IJobStorage>();
        RecurringJobDefinition? stored = null;
        storage.Setup(s => s.AddOrUpdateRecurringJobAsync(It.IsAny<RecurringJobDefinition>(), It.IsAny<CancellationToken>()))
            .Callback<RecurringJobDefinition, CancellationToken>((d, _) => stored = d)
            .Returns(Task.CompletedTask);
        var manager = new RecurringJobManager(storage.Object, _time);

        await manager.AddOrUpdateAsync<RecurringSampleJob>("async", x => x.RunAsync(), "*/5 * * * * *",
            new RecurringJobOptions { MisfireHandling = MisfireHandling.Skip, AllowOverlap = true });

        Assert.Multiple(() =>
        {
            Assert.That(stored!.Id, Is.EqualTo("async"));
            Assert.That(stored.TimeZoneId, Is.EqualTo("UTC"));
            Assert.That(stored.Misfire, Is.EqualTo(MisfireHandling.Skip));
            Assert.That(stored.AllowOverlap, Is.True);
            Assert.That(stored.NextExecution, Is.EqualTo(Now.AddSeconds(5)));
        });
    }

    [Test]
    public async Task Pause_ReturnsFalse_WhenRecurringJobDoesNotExist()
    {
        var manager = CreateSut();

        Assert.Multiple(async () =>
        {
            Assert.That(await manager.PauseAsync("missing"), Is.False);
            Assert.That(await manager.ResumeAsync("missing"), Is.False);
            Assert.That(await manager.TriggerAsync("missing"), Is.Null);
            Assert.That(await manager.RemoveIfExistsAsync("missing"), Is.False);
        });
    }

    [Test]
    public async Task Pause_MarksPaused_WhenRecurringJobExists()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Hourly());

        var paused = manager.Pause("report");

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(paused, Is.True);
            Assert.That(record!.Paused, Is.True);
        });
    }

    [Test]
    public async Task Resume_RecomputesNextRunFromNow_WhenPausedForSeveralOccurrences()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Hourly());
        manager.Pause("report");
        _time.Advance(TimeSpan.FromHours(5));

        var resumed = manager.Resume("report");

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(resumed, Is.True);
            Assert.That(record!.Paused, Is.False);
            Assert.That(record.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 16, 0, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public async Task Resume_KeepsNextRun_WhenRecurringJobIsNotPaused()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Hourly());
        _time.Advance(TimeSpan.FromHours(2)); // the 11:00 occurrence is due and not yet claimed

        var resumed = manager.Resume("report");

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(resumed, Is.True);
            Assert.That(record!.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public async Task Trigger_CreatesEnqueuedJobWithRecurringJobIdAndKeepsSchedule_WhenJobIsPaused()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(7), Jobs.Cron.Daily(), new RecurringJobOptions { Queue = "reports" });
        manager.Pause("report");
        var before = await _storage.GetRecurringJobAsync("report", CancellationToken.None);

        var jobId = await manager.TriggerAsync("report");

        var job = await _storage.GetJobAsync(jobId!, CancellationToken.None);
        var details = await _storage.Monitoring.GetJobDetailsAsync(jobId!, CancellationToken.None);
        var after = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(job!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(job.RecurringJobId, Is.EqualTo("report"));
            Assert.That(job.Queue, Is.EqualTo("reports"));
            Assert.That(job.Invocation.Deserialize().Args, Is.EqualTo(new object[] { 7 }));
            Assert.That(details!.History[^1].Reason, Is.EqualTo("Triggered"));
            Assert.That(after!.NextExecution, Is.EqualTo(before!.NextExecution));
            Assert.That(after.Paused, Is.True);
        });
    }

    [Test]
    public async Task Trigger_RunsClientFilters_WhenFilterProviderIsGiven()
    {
        var filter = new RecordingClientFilter { RerouteTo = "critical" };
        var manager = new RecurringJobManager(_storage, new JobFilterProvider([filter]), _time);
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(7), Jobs.Cron.Daily());

        var jobId = manager.Trigger("report");

        var job = await _storage.GetJobAsync(jobId!, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(job!.Queue, Is.EqualTo("critical"));
            Assert.That(filter.Calls, Is.EqualTo(new[] { "creating RecurringSampleJob.Run", $"created {jobId}" }));
        });
    }

    [Test]
    public void Trigger_ThrowsCanceled_WhenClientFilterCancels()
    {
        var manager = new RecurringJobManager(_storage, new JobFilterProvider([new RecordingClientFilter { Cancel = true }]), _time);
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(7), Jobs.Cron.Daily());

        Assert.That(() => manager.Trigger("report"), Throws.TypeOf<JobCreationCanceledException>().With.Message.Contains("'report'"));
    }

    [Test]
    public async Task Reschedule_ChangesScheduleOnly_WhenRecurringJobExists()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(7), Jobs.Cron.Daily(3), new RecurringJobOptions { Queue = "reports", AllowOverlap = true });
        manager.Pause("report");

        var rescheduled = await manager.RescheduleAsync("report", "0 18 * * *", "America/New_York");

        var record = await _storage.GetRecurringJobAsync("report", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(rescheduled, Is.True);
            Assert.That(record!.Cron, Is.EqualTo("0 18 * * *"));
            Assert.That(record.TimeZoneId, Is.EqualTo("America/New_York"));
            Assert.That(record.NextExecution, Is.EqualTo(new DateTimeOffset(2026, 3, 10, 18, 0, 0, TimeSpan.FromHours(-4))));
            Assert.That(record.Queue, Is.EqualTo("reports"));
            Assert.That(record.AllowOverlap, Is.True);
            Assert.That(record.Paused, Is.True);
        });
    }

    [Test]
    public void Reschedule_ReturnsFalseOrThrows_WhenJobIsMissingOrScheduleInvalid()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(7), Jobs.Cron.Daily(3));

        Assert.Multiple(() =>
        {
            Assert.That(manager.Reschedule("missing", Jobs.Cron.Daily()), Is.False);
            Assert.That(() => manager.Reschedule("report", "0 0 * *"), Throws.ArgumentException.With.Message.Contains("'0 0 * *'"));
            Assert.That(() => manager.Reschedule("report", Jobs.Cron.Daily(), "Nowhere/Land"), Throws.ArgumentException.With.Message.Contains("'Nowhere/Land'"));
        });
    }

    [Test]
    public async Task RemoveIfExists_RemovesRecurringJob_WhenItExists()
    {
        var manager = CreateSut();
        manager.AddOrUpdate<RecurringSampleJob>("report", x => x.Run(1), Jobs.Cron.Daily());

        var removed = manager.RemoveIfExists("report");

        Assert.Multiple(async () =>
        {
            Assert.That(removed, Is.True);
            Assert.That(await _storage.GetRecurringJobAsync("report", CancellationToken.None), Is.Null);
        });
    }

    private RecurringJobManager CreateSut() => new(_storage, _time);
}
