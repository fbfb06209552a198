using System.Linq.Expressions;
using Jobs.States;
using Jobs.TestHost;

namespace Jobs.Tests.EndToEnd;

/// <summary>Two server processes take jobs from the same queue and move due scheduled jobs: every job runs once.</summary>
[TestFixture]
public sealed class CompetingServersEndToEndTests : EndToEndTestBase
{
    private const int Count = 40;

    [Test]
    public async Task EnqueuedAndScheduledJobs_RunExactlyOnce_WhenTwoServersCompete()
    {
        var servers = new[] { await StartServerAsync("e2e-compete-a"), await StartServerAsync("e2e-compete-b") };
        var prefix = NewMarker("compete");
        var now = Markers(prefix + "-now");
        var later = Markers(prefix + "-later");
        var enqueueAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var ids = new List<string>();
        foreach (var marker in later)
        {
            ids.Add(await Client.ScheduleAsync(Record(marker), enqueueAt));
        }

        ids.AddRange(await Client.EnqueueManyAsync(now.Select(Record).ToList()));

        long done = 0;
        await WaitUntilAsync(
            async () => (done = await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job WHERE state = 'Succeeded'")) == ids.Count,
            () => $"all {ids.Count} jobs to succeed ({done} so far)");

        var performed = (await QueryAsync($"SELECT marker, count(*), min(split_part(server_id, ':', 1)) FROM \"{Schema}\".probe GROUP BY marker"))
            .ToDictionary(r => (string)r[0]!, r => (Count: (long)r[1]!, Server: (string)r[2]!));
        var processings = (await QueryAsync($"SELECT job_id::text, count(*) FILTER (WHERE state = 'Processing') FROM \"{Schema}\".job_history GROUP BY job_id"))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        await TestContext.Out.WriteLineAsync(
            $"Performed by: {string.Join(", ", performed.Values.GroupBy(p => p.Server).Select(g => $"{g.Key}: {g.Count()}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(now.Concat(later).Select(m => performed.GetValueOrDefault(m).Count), Has.All.EqualTo(1), "each job performed once");
            Assert.That(ids.Select(id => processings.GetValueOrDefault(id)), Has.All.EqualTo(1), "each job fetched once");
            Assert.That(servers.Select(s => s.HasExited), Has.All.False);
        });
    }

    private static List<string> Markers(string prefix) => Enumerable.Range(0, Count).Select(i => $"{prefix}-{i:D2}").ToList();

    private static Expression<Func<ProbeJobs, Task>> Record(string marker) => p => p.RecordAsync(marker);
}
