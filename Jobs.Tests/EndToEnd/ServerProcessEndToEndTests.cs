using Jobs.PostgreSql;
using Jobs.States;
using Jobs.TestHost;
using Npgsql;

namespace Jobs.Tests.EndToEnd;

/// <summary>
/// A server process and a client in the test process share nothing but the database: what a developer sees
/// when an application enqueues and a separate Jobs server performs.
/// </summary>
[TestFixture]
public sealed class ServerProcessEndToEndTests : EndToEndTestBase
{
    [Test]
    public async Task Enqueue_RunsOnServerProcessAndSucceeds_WhenEnqueuedBySeparateClient()
    {
        await StartServerAsync("e2e-basic");
        var marker = NewMarker("enqueue");

        var id = await Client.EnqueueAsync<ProbeJobs>(p => p.RecordAsync(marker));

        await WaitForStateAsync(id, SucceededState.StateName);
        var rows = await ProbeRowsAsync(marker);
        Assert.Multiple(async () =>
        {
            Assert.That(rows, Has.Count.EqualTo(1), "probe rows");
            Assert.That(rows[0].JobId, Is.EqualTo(id), "the probe ran as the enqueued job");
            Assert.That(rows[0].ServerId, Does.StartWith("e2e-basic:"), "the probe ran on the server process");
            Assert.That((await HistoryOfAsync(id)).Select(h => h.State), Is.EqualTo(new[] { "Enqueued", "Processing", "Succeeded" }));
        });
    }

    [Test]
    public async Task Schedule_RunsAfterItsTime_WhenScheduledTwoSecondsAhead()
    {
        await StartServerAsync("e2e-schedule");
        var marker = NewMarker("schedule");
        var enqueueAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var id = await Client.ScheduleAsync<ProbeJobs>(p => p.RecordAsync(marker), enqueueAt);
        var stateRightAfter = await StateOfAsync(id);

        await WaitForStateAsync(id, SucceededState.StateName);
        var rows = await ProbeRowsAsync(marker);
        Assert.Multiple(async () =>
        {
            Assert.That(stateRightAfter, Is.EqualTo(ScheduledState.StateName));
            Assert.That(rows, Has.Count.EqualTo(1), "probe rows");
            // Same machine, same clock: the probe's time (PostgreSQL's clock) is not before the scheduled time.
            Assert.That(new DateTimeOffset(rows[0].At, TimeSpan.Zero), Is.GreaterThanOrEqualTo(enqueueAt.AddMilliseconds(-50)), "ran after its time");
            Assert.That((await HistoryOfAsync(id)).Select(h => h.State), Is.EqualTo(new[] { "Scheduled", "Enqueued", "Processing", "Succeeded" }));
        });
    }

    [Test]
    public async Task ContinueJobWith_RunsAfterParent_WhenParentSucceeds()
    {
        await StartServerAsync("e2e-continuation");
        var parentMarker = NewMarker("parent");
        var childMarker = NewMarker("child");

        var parent = await Client.EnqueueAsync<ProbeJobs>(p => p.WorkAsync(parentMarker, 500, CancellationToken.None));
        var child = await Client.ContinueJobWithAsync<ProbeJobs>(parent, p => p.RecordAsync(childMarker));

        await WaitForStateAsync(child, SucceededState.StateName);
        var parentRows = await ProbeRowsAsync(parentMarker);
        var childRows = await ProbeRowsAsync(childMarker);
        Assert.Multiple(async () =>
        {
            Assert.That(await StateOfAsync(parent), Is.EqualTo(SucceededState.StateName));
            Assert.That(parentRows.Select(r => r.Event), Is.EqualTo(new[] { "start", "end" }));
            Assert.That(childRows, Has.Count.EqualTo(1));
            Assert.That(childRows[0].At, Is.GreaterThanOrEqualTo(parentRows[^1].At), "the continuation ran after its parent finished");
            Assert.That((await HistoryOfAsync(child)).Select(h => h.State).First(), Is.EqualTo(AwaitingState.StateName));
        });
    }

    [Test]
    public async Task AutomaticRetry_EndsFailedAfterTwoRetryAttempts_WhenJobAlwaysThrows()
    {
        await StartServerAsync("e2e-retry");
        var marker = NewMarker("fail");

        var id = await Client.EnqueueAsync<ProbeJobs>(p => p.AlwaysFailAsync(marker));

        await WaitForStateAsync(id, FailedState.StateName);
        var history = await HistoryOfAsync(id);
        var retries = history.Where(h => h.State == ScheduledState.StateName).ToList();
        var rows = await ProbeRowsAsync(marker);
        Assert.Multiple(() =>
        {
            Assert.That(retries, Has.Count.EqualTo(2), $"Scheduled retries in the history: {FormatHistory(id)}");
            Assert.That(retries.Select(r => r.Reason), Has.All.StartWith("Retry attempt"));
            Assert.That(retries[0].Reason, Does.StartWith("Retry attempt 1 of 2"));
            Assert.That(retries[1].Reason, Does.StartWith("Retry attempt 2 of 2"));
            Assert.That(history.Select(h => h.State), Is.EqualTo(new[]
            {
                "Enqueued", "Processing", "Scheduled", "Enqueued", "Processing", "Scheduled", "Enqueued", "Processing", "Failed",
            }));
            Assert.That(rows, Has.Count.EqualTo(3), "attempts performed: the first and two retries");
        });
    }

    [Test]
    public async Task InTransaction_CreatesNoJobAndRunsNothing_WhenTransactionRollsBack()
    {
        await StartServerAsync("e2e-tx-rollback");
        var rolledBack = NewMarker("rolled-back");
        var committed = NewMarker("committed");

        string rolledBackId;
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            rolledBackId = await Client.InTransaction(transaction).EnqueueAsync<ProbeJobs>(p => p.RecordAsync(rolledBack));
            await transaction.RollbackAsync();
        }

        // A job committed afterwards runs; the server has had every chance to run the other one by then.
        var committedId = await Client.EnqueueAsync<ProbeJobs>(p => p.RecordAsync(committed));
        await WaitForStateAsync(committedId, SucceededState.StateName);

        Assert.Multiple(async () =>
        {
            Assert.That(await StateOfAsync(rolledBackId), Is.Null, "the rolled-back job does not exist");
            Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".job WHERE arguments LIKE '%' || @p0 || '%'", rolledBack), Is.Zero);
            Assert.That(await ProbeRowsAsync(rolledBack), Is.Empty, "nothing ran for the rolled-back job");
        });
    }

    [Test]
    public async Task InTransaction_RunsJobWithApplicationRow_WhenTransactionCommits()
    {
        await StartServerAsync("e2e-tx-commit");
        var marker = NewMarker("tx-commit");
        await ExecuteAsync($"CREATE TABLE IF NOT EXISTS \"{Schema}\".orders (id text PRIMARY KEY)");

        string id;
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand($"INSERT INTO \"{Schema}\".orders (id) VALUES (@id)", connection, transaction))
            {
                insert.Parameters.AddWithValue("id", marker);
                await insert.ExecuteNonQueryAsync();
            }

            id = await Client.InTransaction(transaction).EnqueueAsync<ProbeJobs>(p => p.RecordAsync(marker));
            await transaction.CommitAsync();
        }

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.Multiple(async () =>
        {
            Assert.That(await ProbeRowsAsync(marker), Has.Count.EqualTo(1));
            Assert.That(await ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".orders WHERE id = @p0", marker), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Delete_CancelsRunningJobOnServerProcessAndKeepsItDeleted_WhenDeletedByClient()
    {
        await StartServerAsync("e2e-delete");
        var marker = NewMarker("delete");
        var id = await Client.EnqueueAsync<ProbeJobs>(p => p.SlowAsync(marker, 60, CancellationToken.None));
        await WaitUntilAsync(
            async () => (await ProbeRowsAsync(marker)).Any(r => r.Event == "start"),
            () => $"job {id} to start");

        var deleted = await Client.DeleteAsync(id);

        // The server learns of the deletion through the storage and fires the job's token.
        await WaitUntilAsync(
            async () => (await ProbeRowsAsync(marker)).Any(r => r.Event == "canceled"),
            () => $"the token of job {id} to fire after the deletion (history: {FormatHistory(id)})");
        var marker2 = NewMarker("after-delete");
        var next = await Client.EnqueueAsync<ProbeJobs>(p => p.RecordAsync(marker2));
        await WaitForStateAsync(next, SucceededState.StateName); // the worker is free again and the outcome of the deleted job is settled
        Assert.Multiple(async () =>
        {
            Assert.That(deleted, Is.True);
            Assert.That(await StateOfAsync(id), Is.EqualTo(DeletedState.StateName), FormatHistory(id));
            Assert.That((await HistoryOfAsync(id)).Select(h => h.State), Is.EqualTo(new[] { "Enqueued", "Processing", "Deleted" }));
            Assert.That((await ProbeRowsAsync(marker)).Select(r => r.Event), Is.EqualTo(new[] { "start", "canceled" }));
        });
    }
}
