using Jobs.States;
using Jobs.TestHost;

namespace Jobs.Tests.EndToEnd;

/// <summary>Three server processes on one database race for every occurrence of a recurring job; each occurrence yields one job.</summary>
[TestFixture]
public sealed class RecurringEndToEndTests : EndToEndTestBase
{
    private const int Occurrences = 5;

    [Test]
    public async Task RecurringJob_CreatesExactlyOneJobPerOccurrence_WhenThreeServersRunTheScheduler()
    {
        var servers = new[]
        {
            await StartServerAsync("e2e-cron-a"),
            await StartServerAsync("e2e-cron-b"),
            await StartServerAsync("e2e-cron-c"),
        };
        var recurringId = NewMarker("every-2s");
        var manager = new RecurringJobManager(Storage);

        await manager.AddOrUpdateAsync<ProbeJobs>(recurringId, p => p.RecordAsync(recurringId), "*/2 * * * * *");
        long succeeded = 0;
        await WaitUntilAsync(
            async () => (succeeded = await RunsAsync(recurringId, "state = 'Succeeded'")) >= Occurrences,
            () => $"{Occurrences} runs of {recurringId} to succeed ({succeeded} so far)");
        var record = await Storage.GetRecurringJobAsync(recurringId, CancellationToken.None);
        await manager.RemoveIfExistsAsync(recurringId);
        await WaitUntilAsync(
            async () => await RunsAsync(recurringId, "state <> 'Succeeded'") == 0,
            () => $"the last runs of {recurringId} to finish");

        // Each run is created at or after its occurrence and before the next one can be claimed (the claim moves the
        // recurring job's next execution past "now"), so the runs fall into distinct 2-second slots. Two servers
        // creating a run for the same occurrence would put two runs into one slot.
        var runs = await QueryAsync(
            $"""
            SELECT id::text, to_timestamp(floor(extract(epoch FROM created_at) / 2) * 2) AS slot, state
            FROM "{Schema}".job WHERE recurring_job_id = @p0 ORDER BY id
            """,
            recurringId);
        var performedPerJob = (await QueryAsync($"SELECT job_id, count(*) FROM \"{Schema}\".probe WHERE marker = @p0 GROUP BY job_id", recurringId))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        var slots = runs.GroupBy(r => (DateTime)r[1]!).Where(g => g.Count() > 1).Select(g => $"{g.Key:O}: jobs {string.Join(", ", g.Select(r => r[0]))}").ToList();
        var servedBy = (await ProbeRowsAsync(recurringId)).GroupBy(r => r.ServerId![..r.ServerId!.IndexOf(':', StringComparison.Ordinal)])
            .Select(g => $"{g.Key}: {g.Count()}");
        await TestContext.Out.WriteLineAsync(
            $"{runs.Count} runs of {recurringId} in the slots {string.Join(", ", runs.Select(r => $"{(DateTime)r[1]!:HH:mm:ss}"))}, " +
            $"performed by {string.Join(", ", servedBy)}; last skip: {record?.LastSkipReason ?? "none"}");

        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Count.GreaterThanOrEqualTo(Occurrences));
            Assert.That(slots, Is.Empty, "occurrences with more than one job");
            Assert.That(runs.Select(r => (string)r[2]!), Has.All.EqualTo(SucceededState.StateName));
            Assert.That(runs.Select(r => performedPerJob.GetValueOrDefault((string)r[0]!)), Has.All.EqualTo(1), "each run performed once");
            Assert.That(performedPerJob.Keys, Is.SubsetOf(runs.Select(r => (string)r[0]!)), "nothing performed outside the runs");
            Assert.That(servers.Select(s => s.HasExited), Has.All.False);
        });
    }

    private async Task<long> RunsAsync(string recurringId, string condition) =>
        await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job WHERE recurring_job_id = @p0 AND {condition}", recurringId);
}
