using System.Collections.Concurrent;
using System.Linq.Expressions;
using Jobs.States;
using Jobs.TestHost;
using Npgsql;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// PostgreSQL restarted under a busy server: the DESIGN promises that a restart is survived without losing
/// or duplicating finished work. Jobs are enqueued before and during the restart; every one must end
/// Succeeded, once.
/// </summary>
[TestFixture]
public sealed class PostgreSqlRestartEndToEndTests : EndToEndTestBase
{
    private const int JobsBefore = 150;
    private const int JobsDuring = 150;

    [TestCase("fast")]
    [TestCase("immediate")]
    public async Task PostgreSqlRestart_EveryJobSucceedsOnce_WhenRestartedWhileJobsRunAndAreEnqueued(string mode)
    {
        var cluster = PostgreSqlCluster.FromEnvironment();
        var server = await StartServerAsync("e2e-restart-" + mode, new Dictionary<string, string> { ["WorkerCount"] = "5" });
        var prefix = NewMarker("restart");
        var markers = Enumerable.Range(0, JobsBefore + JobsDuring).Select(i => $"{prefix}-{i:D3}").ToList();

        var ids = new ConcurrentBag<string>(await Client.EnqueueManyAsync(markers.Take(JobsBefore).Select(Work).ToList()));

        // Restart once the server is well into the work, while the test keeps enqueuing.
        await WaitUntilAsync(
            async () => await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".probe WHERE event = 'end' AND marker LIKE @p0 || '-%'", prefix) >= 20,
            () => "the server to finish its first 20 jobs");
        var enqueueErrors = new ConcurrentBag<string>();
        var enqueuing = Task.Run(() => EnqueueWithRetryAsync(markers.Skip(JobsBefore).ToList(), ids, enqueueErrors));
        var pgCtl = await cluster.RestartAsync(mode);
        NpgsqlConnection.ClearAllPools(); // the test process's own pooled connections died with the server
        var endedAtRestart = await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".probe WHERE event = 'end' AND marker LIKE @p0 || '-%'", prefix);
        await enqueuing;

        long unfinished = -1;
        var ourJobs = $"arguments LIKE '%{prefix}-%'";
        await WaitUntilAsync(
            async () => (unfinished = await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job WHERE state <> 'Succeeded' AND {ourJobs}")) == 0
                        && await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job WHERE {ourJobs}") >= markers.Count,
            () => $"every job to succeed ({unfinished} not Succeeded; states: {StateCounts()})",
            TimeSpan.FromSeconds(120));

        var jobs = await QueryAsync($"SELECT id::text, arguments FROM \"{Schema}\".job WHERE {ourJobs}");
        var jobsByMarker = markers.ToDictionary(m => m, m => jobs.Where(j => ((string)j[1]!).Contains('"' + m + '"', StringComparison.Ordinal)).Select(j => (string)j[0]!).ToList());
        var endsByMarker = (await QueryAsync($"SELECT marker, count(*) FROM \"{Schema}\".probe WHERE event = 'end' GROUP BY marker"))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        var startsPerJob = (await QueryAsync($"SELECT job_id, count(*) FROM \"{Schema}\".probe WHERE event = 'start' GROUP BY job_id"))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        var histories = (await QueryAsync(
                $"SELECT job_id::text, array_agg(state ORDER BY id) FROM \"{Schema}\".job_history WHERE job_id IN (SELECT id FROM \"{Schema}\".job WHERE {ourJobs}) GROUP BY job_id"))
            .ToDictionary(r => (string)r[0]!, r => (string[])r[1]!);

        var lost = markers.Where(m => jobsByMarker[m].Count == 0).ToList();
        var notPerformed = markers.Where(m => !endsByMarker.ContainsKey(m)).ToList();
        var doubleEnqueued = markers.Where(m => jobsByMarker[m].Count > 1).ToList();
        var jobIds = jobs.Select(j => (string)j[0]!).ToHashSet();
        var rerun = startsPerJob.Where(s => jobIds.Contains(s.Key) && s.Value > 1).Select(s => s.Key).ToList();
        var succeededTwice = histories.Where(h => h.Value.Count(s => s == SucceededState.StateName) != 1).Select(h => h.Key).ToList();
        var notEndingSucceeded = histories.Where(h => h.Value[^1] != SucceededState.StateName).Select(h => h.Key).ToList();

        await TestContext.Out.WriteLineAsync(
            $"PostgreSQL restart -m {mode}: {endedAtRestart} jobs had finished when the server was back; {jobs.Count} jobs for {markers.Count} markers; {doubleEnqueued.Count} markers enqueued twice " +
            $"(a commit whose answer was lost, retried); {rerun.Count} jobs started more than once (performed, but the outcome was not stored " +
            $"before the restart); {enqueueErrors.Count} enqueue attempts failed and were retried by the test.{Environment.NewLine}pg_ctl: {pgCtl.Trim()}");
        Assert.Multiple(() =>
        {
            Assert.That(lost, Is.Empty, "markers whose job was lost");
            Assert.That(notPerformed, Is.Empty, "markers never performed to the end");
            Assert.That(succeededTwice, Is.Empty, "jobs whose history does not hold exactly one Succeeded");
            Assert.That(notEndingSucceeded, Is.Empty, "jobs whose history does not end in Succeeded");
            Assert.That(histories, Has.Count.EqualTo(jobs.Count), "every job has a history");
            Assert.That(server.HasExited, Is.False, $"the server process survived the restart{Environment.NewLine}{server.Describe()}");
        });
    }

    [Test]
    public async Task PostgreSqlRestart_IdleServerIsWokenByNotification_WhenJobIsEnqueuedAfterRestart()
    {
        var cluster = PostgreSqlCluster.FromEnvironment();
        // Polling would not find a job for ten minutes: only LISTEN/NOTIFY can wake this server in time.
        var server = await StartServerAsync("e2e-notify", new Dictionary<string, string> { ["QueuePollInterval"] = "00:10:00" });
        var before = NewMarker("notify-before");
        var beforeId = await Client.EnqueueAsync<ProbeJobs>(p => p.RecordAsync(before));
        await WaitForStateAsync(beforeId, SucceededState.StateName);

        await cluster.RestartAsync();
        NpgsqlConnection.ClearAllPools();
        var after = NewMarker("notify-after");
        var afterId = await Client.EnqueueAsync<ProbeJobs>(p => p.RecordAsync(after));

        await WaitForStateAsync(afterId, SucceededState.StateName);
        Assert.That(server.HasExited, Is.False);
    }

    private static Expression<Func<ProbeJobs, Task>> Work(string marker) => p => p.WorkAsync(marker, 50, CancellationToken.None);

    /// <summary>Enqueues one job at a time, as a busy application would, retrying a failed call (the storage retries transient errors itself first).</summary>
    private async Task EnqueueWithRetryAsync(IReadOnlyList<string> markers, ConcurrentBag<string> ids, ConcurrentBag<string> errors)
    {
        foreach (var marker in markers)
        {
            var deadline = DateTimeOffset.UtcNow + Patience;
            while (true)
            {
                try
                {
                    ids.Add(await Client.EnqueueAsync(Work(marker)));
                    break;
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && DateTimeOffset.UtcNow < deadline)
                {
                    errors.Add($"{marker}: {ex.GetType().Name}: {ex.Message}");
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10)); // pacing, so the enqueues straddle the restart
        }
    }

    private string StateCounts()
    {
        var rows = QueryAsync($"SELECT state, count(*) FROM \"{Schema}\".job GROUP BY state ORDER BY state").GetAwaiter().GetResult();
        return string.Join(", ", rows.Select(r => $"{r[0]}: {r[1]}"));
    }
}
