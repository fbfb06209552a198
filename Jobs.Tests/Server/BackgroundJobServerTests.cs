using Jobs.Common;
using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Server;

public sealed class BackgroundJobServerTests : ServerTestBase
{
    [Test]
    public async Task Start_PerformsJob_WhenEnqueuedByAnotherClient()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Run("hello"));

        await WaitAsync(Probe.Finished);
        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(Probe.Events, Does.Contain("hello"));
    }

    [Test]
    public async Task Start_PerformsStaticMethod_WhenJobIsStatic()
    {
        var before = Volatile.Read(ref ProbeJob.StaticCalls);
        await StartServerAsync();

        var id = await Client.EnqueueAsync(() => ProbeJob.RunStatic());

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(Volatile.Read(ref ProbeJob.StaticCalls), Is.GreaterThan(before));
    }

    [Test]
    public async Task Perform_AwaitsAsyncJob_WhenMethodReturnsTask()
    {
        await StartServerAsync();
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.RunAsync("async"));
        await WaitAsync(Probe.Started);

        var whileWaiting = await Storage.GetJobAsync(id, CancellationToken.None);
        Probe.Gate.SetResult();

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.Multiple(() =>
        {
            Assert.That(whileWaiting!.StateName, Is.EqualTo(ProcessingState.StateName));
            Assert.That(Probe.Events, Does.Contain("async"));
        });
    }

    [Test]
    public async Task Perform_StoresReturnValueInSucceeded_WhenMethodReturnsAValue()
    {
        await StartServerAsync();

        var sum = await Client.EnqueueAsync<ProbeJob>(j => j.AddAsync(40, 2));
        var greeting = await Client.EnqueueAsync<ProbeJob>(j => j.GreetAsync("Ada"));
        var report = await Client.EnqueueAsync<ProbeJob>(j => j.Build(7));

        var sumDetails = await WaitForStateAsync(sum, SucceededState.StateName);
        var greetingDetails = await WaitForStateAsync(greeting, SucceededState.StateName);
        var reportDetails = await WaitForStateAsync(report, SucceededState.StateName);
        Assert.Multiple(() =>
        {
            Assert.That(sumDetails.Summary.StateData["Result"], Is.EqualTo("42"));
            Assert.That(greetingDetails.Summary.StateData["Result"], Is.EqualTo("\"Hello, Ada\""));
            Assert.That(reportDetails.Summary.StateData["Result"], Is.EqualTo("{\"id\":7,\"status\":\"done\"}"));
            Assert.That(sumDetails.Summary.StateData, Does.ContainKey("PerformanceDuration"));
            Assert.That(sumDetails.Summary.StateData, Does.ContainKey("Latency"));
        });
    }

    [Test]
    public async Task Perform_PassesObjectArguments_WhenArgumentIsARecord()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Take(new Report(1, "from-record")));

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(Probe.Events, Does.Contain("from-record"));
    }

    [Test]
    public async Task Perform_UsesAScopePerJobAndDisposesIt_WhenJobHasScopedDependency()
    {
        await StartServerAsync(services: s => s.AddScoped<ScopedResource>().AddTransient<ScopedJob>());

        var first = await Client.EnqueueAsync<ScopedJob>(j => j.Run());
        var second = await Client.EnqueueAsync<ScopedJob>(j => j.Run());
        await WaitForStateAsync(first, SucceededState.StateName);
        await WaitForStateAsync(second, SucceededState.StateName);

        var events = Probe.Events.ToArray();
        var used = events.Where(e => e.StartsWith("used:", StringComparison.Ordinal)).Select(e => e[5..]).ToArray();
        var disposed = events.Where(e => e.StartsWith("disposed:", StringComparison.Ordinal)).Select(e => e[9..]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(used, Has.Length.EqualTo(2));
            Assert.That(used.Distinct().Count(), Is.EqualTo(2), "each job gets its own scope");
            Assert.That(disposed, Is.EquivalentTo(used), "each scope is disposed after its job");
        });
    }

    [Test]
    public async Task Perform_RunsScheduledJob_WhenItBecomesDue()
    {
        await StartServerAsync();

        var id = await Client.ScheduleAsync<ProbeJob>(j => j.Run("later"), TimeSpan.FromMilliseconds(300));

        var details = await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(details.History.Select(h => h.StateName), Does.Contain(ScheduledState.StateName));
    }

    [Test]
    public async Task Perform_RunsContinuation_AfterParentSucceeded()
    {
        await StartServerAsync(o => o.WorkerCount = 1);
        var parent = await Client.EnqueueAsync<ProbeJob>(j => j.Run("parent"));
        var child = await Client.ContinueJobWithAsync<ProbeJob>(parent, j => j.Run("child"));

        await WaitForStateAsync(child, SucceededState.StateName);

        Assert.That(Probe.Events.ToArray(), Is.EqualTo(new[] { "parent", "child" }));
    }

    [Test]
    public async Task Perform_RetriesThenFails_WhenJobKeepsThrowing()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.FailTwiceRetried());

        var details = await WaitForStateAsync(id, FailedState.StateName);
        var retries = details.History.Count(h => h.StateName == ScheduledState.StateName && h.Reason!.StartsWith("Retry attempt", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(Probe.Calls, Is.EqualTo(3));
            Assert.That(retries, Is.EqualTo(2));
            Assert.That(details.Summary.StateData["ExceptionMessage"], Is.EqualTo("Boom"));
            Assert.That(details.Summary.StateData["ServerId"], Does.StartWith("test:"));
        });
    }

    [Test]
    public async Task Perform_DeletesJob_WhenAttemptsExceededAndActionIsDelete()
    {
        await StartServerAsync();

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.FailThenDelete());

        var details = await WaitForStateAsync(id, DeletedState.StateName);
        Assert.Multiple(() =>
        {
            Assert.That(Probe.Calls, Is.EqualTo(2));
            Assert.That(details.Summary.StateReason, Does.Contain("Exceeded the maximum number of retry attempts"));
        });
    }

    [Test]
    public async Task Perform_FailsWithClearReasonAndKeepsWorking_WhenTypeIsUnknown()
    {
        await StartServerAsync(o => o.WorkerCount = 1, filters: new JobFilterProvider([]));
        var broken = await Storage.CreateJobAsync(
            new NewJob(new InvocationData("Nowhere.MissingJob, Nowhere", "Run", [], "[]"), "default", new EnqueuedState()),
            CancellationToken.None);

        var details = await WaitForStateAsync(broken, FailedState.StateName);
        var next = await Client.EnqueueAsync<ProbeJob>(j => j.Run("after"));

        await WaitForStateAsync(next, SucceededState.StateName);
        Assert.Multiple(() =>
        {
            Assert.That(details.Summary.StateData["ExceptionType"], Is.EqualTo(typeof(JobLoadException).FullName));
            Assert.That(details.Summary.StateData["ExceptionMessage"], Does.Contain("Nowhere.MissingJob"));
        });
    }

    [Test]
    public async Task Perform_FailsWithClearReason_WhenArgumentsDoNotDeserialize()
    {
        await StartServerAsync(o => o.WorkerCount = 1, filters: new JobFilterProvider([]));
        var valid = InvocationData.Serialize(new Job(typeof(ProbeJob), typeof(ProbeJob).GetMethod(nameof(ProbeJob.AddAsync))!, [1, 2]));
        var broken = await Storage.CreateJobAsync(
            new NewJob(valid with { Arguments = "[\"not a number\", 2]" }, "default", new EnqueuedState()),
            CancellationToken.None);

        var details = await WaitForStateAsync(broken, FailedState.StateName);

        Assert.That(details.Summary.StateData["ExceptionMessage"], Does.Contain("could not be deserialized"));
    }

    [Test]
    public async Task Perform_CancelsJobToken_WhenJobIsDeletedWhileRunning()
    {
        await StartServerAsync();
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.WaitForCancellationAsync(CancellationToken.None));
        await WaitAsync(Probe.Started);

        Assert.That(await Client.DeleteAsync(id), Is.True);

        await WaitAsync(Probe.Canceled.Task);
        var details = await WaitForStateAsync(id, DeletedState.StateName);
        Assert.That(details.Summary.StateName, Is.EqualTo(DeletedState.StateName));
    }

    [Test]
    public async Task Perform_RunsServerFiltersAroundTheMethod_WhenGlobalFilterIsRegistered()
    {
        var filter = new RecordingServerFilter(Probe);
        await StartServerAsync(filters: new JobFilterProvider([filter]));

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Run("inside"));

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(Probe.Events.ToArray(), Is.EqualTo(new[] { "performing", "inside", "performed" }));
    }

    [Test]
    public async Task Perform_Succeeds_WhenServerFilterHandlesTheException()
    {
        var filter = new RecordingServerFilter(Probe) { HandleExceptions = true };
        await StartServerAsync(filters: new JobFilterProvider([filter]));

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.FailTwiceRetried());

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(Probe.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Stop_CancelsTokenAndRequeuesJob_WhenJobRunsPastShutdownTimeout()
    {
        var server = await StartServerAsync(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.WaitForCancellationAsync(CancellationToken.None));
        await WaitAsync(Probe.Started);

        await server.StopAsync(CancellationToken.None);

        await WaitAsync(Probe.Canceled.Task);
        var job = await Storage.GetJobAsync(id, CancellationToken.None);
        var processing = await Storage.Monitoring.GetJobsAsync(ProcessingState.StateName, 0, 10, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(job!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(processing, Is.Empty);
        });
    }

    [Test]
    public async Task Stop_RequeuesJob_WhenJobIgnoresItsToken()
    {
        var server = await StartServerAsync(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.IgnoreCancellationAsync(CancellationToken.None));
        await WaitAsync(Probe.Started);

        await server.StopAsync(CancellationToken.None);

        var job = await Storage.GetJobAsync(id, CancellationToken.None);
        var processing = await Storage.Monitoring.GetJobsAsync(ProcessingState.StateName, 0, 10, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(job!.StateName, Is.EqualTo(EnqueuedState.StateName));
            Assert.That(processing, Is.Empty);
        });
    }

    [Test]
    public async Task Stop_LetsRunningJobFinish_WhenItEndsWithinShutdownTimeout()
    {
        var server = await StartServerAsync();
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.RunAsync("finishing"));
        await WaitAsync(Probe.Started);

        var stopping = server.StopAsync(CancellationToken.None);
        Probe.Gate.SetResult();
        await WaitAsync(stopping);

        var job = await Storage.GetJobAsync(id, CancellationToken.None);
        Assert.That(job!.StateName, Is.EqualTo(SucceededState.StateName));
    }

    [Test]
    public async Task Stop_RemovesServer_WhenStopped()
    {
        var server = await StartServerAsync();
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Run("x"));
        await WaitForStateAsync(id, SucceededState.StateName);

        await server.StopAsync(CancellationToken.None);

        var servers = await Storage.Monitoring.GetServersAsync(CancellationToken.None);
        Assert.That(servers.Select(s => s.Id), Does.Not.Contain(server.ServerId));
    }

    [Test]
    public async Task Watchdog_RequeuesJobsOfSilentServer_WhenItsHeartbeatStopped()
    {
        var silent = new SilentJobStorage(Storage);
        await StartServerAsync(o => o.WorkerCount = 1, storage: silent);
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.BlockFirstRunAsync());
        await WaitAsync(Probe.Started);
        silent.Silence();

        await StartServerAsync(o =>
        {
            o.ServerTimeout = TimeSpan.FromMilliseconds(500);
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        });

        await WaitAsync(Probe.Finished);
        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(Probe.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Server_CarriesOn_WhenStorageWasAwayForAWhile()
    {
        var flaky = new FlakyJobStorage(Storage, failures: 0);
        await StartServerAsync(storage: flaky);
        var before = await Client.EnqueueAsync<ProbeJob>(j => j.Run("before outage"));
        await WaitForStateAsync(before, SucceededState.StateName);

        flaky.Break();
        await WaitAsync(flaky.Failures, times: 20);
        var after = await Client.EnqueueAsync<ProbeJob>(j => j.Run("after outage"));
        flaky.Restore();

        await WaitForStateAsync(after, SucceededState.StateName);
        Assert.That(Probe.Events, Does.Contain("after outage"));
    }

    [Test]
    public async Task Complete_StoresOutcomeOnceStorageIsBack_WhenStorageWasAwayWhenJobEnded()
    {
        var flaky = new FlakyJobStorage(Storage, failures: 0);
        await StartServerAsync(storage: flaky);
        var id = await Client.EnqueueAsync<ProbeJob>(j => j.RunAsync("ends during outage"));
        await WaitAsync(Probe.Started);

        flaky.Break();
        Probe.Gate.SetResult();
        await WaitAsync(Probe.Finished);
        await WaitAsync(flaky.Failures, times: 10);
        flaky.Restore();

        await WaitForStateAsync(id, SucceededState.StateName);
    }

    [Test]
    public async Task Start_RetriesUntilStorageAnswers_WhenStorageIsAwayAtStart()
    {
        var flaky = new FlakyJobStorage(Storage, failures: 3);
        await StartServerAsync(storage: flaky);

        var id = await Client.EnqueueAsync<ProbeJob>(j => j.Run("late start"));

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(flaky.Failed, Is.EqualTo(3));
    }

    [Test]
    public async Task Server_DrainsManyJobs_WhenCompletionsAreBatched()
    {
        await StartServerAsync(o => o.WorkerCount = 8);
        var calls = Enumerable.Range(0, 2000).Select(_ => (System.Linq.Expressions.Expression<Action<ProbeJob>>)(j => j.Noop())).ToArray();

        var ids = await Client.EnqueueManyAsync(calls);

        await WaitForStateAsync(ids[^1], SucceededState.StateName);
        using var timeout = new CancellationTokenSource(Patience);
        long succeeded;
        do
        {
            succeeded = (await Storage.Monitoring.GetStatisticsAsync(CancellationToken.None)).Succeeded;
            await Task.Delay(20, CancellationToken.None);
        }
        while (succeeded < ids.Count && !timeout.IsCancellationRequested);

        Assert.That(succeeded, Is.EqualTo(ids.Count));
    }

    [Test]
    public void Start_Throws_WhenOptionsAreInvalid()
    {
        var server = CreateServer(o => o.WorkerCount = 0);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("WorkerCount"));
    }

    [Test]
    public async Task ServerId_IsServerNameWithUniqueSuffix_WhenCreated()
    {
        var a = CreateServer();
        var b = CreateServer();

        Assert.Multiple(() =>
        {
            Assert.That(a.ServerId, Does.StartWith("test:"));
            Assert.That(a.ServerId, Is.Not.EqualTo(b.ServerId));
        });
        await Task.CompletedTask;
    }
}
