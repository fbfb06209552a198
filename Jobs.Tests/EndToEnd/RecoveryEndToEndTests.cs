using Jobs.States;
using Jobs.TestHost;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// Servers that die or are stopped: a job held by a server killed with SIGKILL runs again elsewhere once the
/// server's heartbeat is missed; a server stopped with SIGTERM gives back what it could not finish.
/// </summary>
[TestFixture]
public sealed class RecoveryEndToEndTests : EndToEndTestBase
{
    private static readonly Dictionary<string, string> QuickRecovery = new()
    {
        ["HeartbeatInterval"] = "00:00:01",
        ["ServerTimeout"] = "00:00:04",
        ["ServerCheckInterval"] = "00:00:01",
    };

    [Test]
    public async Task ServerKilled_JobRunsAgainAndSucceedsOnOtherServer_WhenHeartbeatIsMissed()
    {
        var a = await StartServerAsync("e2e-kill-a", QuickRecovery);
        var b = await StartServerAsync("e2e-kill-b", QuickRecovery);
        var marker = NewMarker("killed");

        // Slow (60 s) on its first run only, so the rerun after the crash completes at once.
        var id = await Client.EnqueueAsync<ProbeJobs>(p => p.SlowFirstTimeAsync(marker, 60, CancellationToken.None));
        ProbeRow? firstStart = null;
        await WaitUntilAsync(
            async () => (firstStart = (await ProbeRowsAsync(marker)).FirstOrDefault(r => r.Event == "start")) is not null,
            () => $"job {id} to start on one of the servers");
        var victim = firstStart!.ServerId!.StartsWith(a.Name + ":", StringComparison.Ordinal) ? a : b;
        var survivor = victim == a ? b : a;
        Assert.That(await StateOfAsync(id), Is.EqualTo(ProcessingState.StateName));

        victim.KillHard();
        Assert.That(await victim.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, "the killed server exits");

        await WaitForStateAsync(id, SucceededState.StateName);
        var rows = await ProbeRowsAsync(marker);
        var starts = rows.Where(r => r.Event == "start").ToList();
        var ends = rows.Where(r => r.Event == "end").ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(starts, Has.Count.EqualTo(2), "started on the killed server, then once more");
            Assert.That(starts[0].Pid, Is.EqualTo(victim.Pid));
            Assert.That(starts[1].Pid, Is.EqualTo(survivor.Pid), "the rerun is on the surviving server");
            Assert.That(ends, Has.Count.EqualTo(1));
            Assert.That(ends[0].Pid, Is.EqualTo(survivor.Pid));
            Assert.That(await ServerIdOfAsync(victim.Name), Is.Null, "the dead server was removed");
            Assert.That(await ServerIdOfAsync(survivor.Name), Is.Not.Null);
            Assert.That((await HistoryOfAsync(id)).Select(h => h.State),
                Is.EqualTo(new[] { "Enqueued", "Processing", "Enqueued", "Processing", "Succeeded" }), FormatHistory(id));
        });
    }

    [Test]
    public async Task SigTerm_RequeuesJobAndExits_WhenJobIgnoresCancellationBeyondShutdownTimeout()
    {
        var first = await StartServerAsync("e2e-term-a", new Dictionary<string, string> { ["ShutdownTimeout"] = "00:00:01" });
        var marker = NewMarker("stubborn");

        // Ignores its token for 30 s on its first run; a rerun finishes at once.
        var id = await Client.EnqueueAsync<ProbeJobs>(p => p.StubbornFirstTimeAsync(marker, 30));
        await WaitUntilAsync(
            async () => (await ProbeRowsAsync(marker)).Any(r => r.Event == "start"),
            () => $"job {id} to start on {first.Name}");

        first.Terminate();
        Assert.That(await first.WaitForExitAsync(Patience), Is.True, $"{first.Name} exits after SIGTERM{Environment.NewLine}{first.Describe()}");

        Assert.Multiple(async () =>
        {
            Assert.That(first.ExitCode, Is.Zero, "a graceful exit");
            Assert.That(await StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName), FormatHistory(id));
            Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job WHERE state = 'Processing'"), Is.Zero, "no job is left in Processing");
            Assert.That(await ServerIdOfAsync(first.Name), Is.Null, "the server removed itself");
            Assert.That((await ProbeRowsAsync(marker)).Where(r => r.Event == "end"), Is.Empty, "the first run never finished");
        });

        var second = await StartServerAsync("e2e-term-b");
        await WaitForStateAsync(id, SucceededState.StateName);
        var ends = (await ProbeRowsAsync(marker)).Where(r => r.Event == "end").ToList();
        Assert.That(ends.Select(r => r.Pid), Is.EqualTo(new[] { second.Pid }), "the requeued job completed on the second server");
    }

    [Test]
    public async Task SigTerm_CancelsAndRequeuesJob_WhenJobHonoursCancellation()
    {
        var first = await StartServerAsync("e2e-cancel-a", new Dictionary<string, string> { ["ShutdownTimeout"] = "00:00:01" });
        var marker = NewMarker("cancelable");

        // 60 s on its first run, ended early by the token; a rerun finishes at once.
        var id = await Client.EnqueueAsync<ProbeJobs>(p => p.SlowFirstTimeAsync(marker, 60, CancellationToken.None));
        await WaitUntilAsync(
            async () => (await ProbeRowsAsync(marker)).Any(r => r.Event == "start"),
            () => $"job {id} to start on {first.Name}");

        first.Terminate();
        Assert.That(await first.WaitForExitAsync(Patience), Is.True, $"{first.Name} exits after SIGTERM{Environment.NewLine}{first.Describe()}");
        Assert.Multiple(async () =>
        {
            Assert.That(first.ExitCode, Is.Zero, "a graceful exit");
            Assert.That(await StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName), FormatHistory(id));
            Assert.That((await HistoryOfAsync(id)).Select(h => h.State), Does.Not.Contain(FailedState.StateName), "a canceled job is not a failed one");
        });

        var second = await StartServerAsync("e2e-cancel-b");
        await WaitForStateAsync(id, SucceededState.StateName);
        var ends = (await ProbeRowsAsync(marker)).Where(r => r.Event == "end").ToList();
        Assert.That(ends.Select(r => r.Pid), Is.EqualTo(new[] { second.Pid }), "the requeued job completed on the second server");
    }
}
