using System.Collections.Concurrent;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Server;

/// <summary>How a server stores job log lines: in batches, before the final state, and never at the cost of a job.</summary>
public sealed class JobLogWriterTests : ServerTestBase
{
    [Test]
    public async Task JobLogWriter_StoresLinesInBatches_NotOneWritePerLine()
    {
        var storage = new RecordingLogStorage(Storage);
        await StartServerAsync(
            o =>
            {
                o.JobLog.BatchSize = 100;
                o.JobLog.FlushInterval = TimeSpan.FromHours(1);
            },
            storage,
            services: s => s.AddLogging());

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteThroughContext(249, null!));
        await WaitForStateAsync(id, SucceededState.StateName);

        // 250 lines: batches fill at 100 and 200, the rest goes when the job ends. No write waits an hour.
        Assert.That(storage.Writes.Count, Is.InRange(1, 3));
        Assert.That(storage.Writes.Sum(w => w.Sum(a => a.Lines.Count)), Is.EqualTo(250));
        Assert.That(storage.LinesWhenFinalStateWasWritten, Is.EqualTo(250), "every line is stored before the final state");
    }

    [Test]
    public async Task Job_Succeeds_WhenItsLogCannotBeStored()
    {
        var storage = new RecordingLogStorage(Storage) { FailAppends = true };
        await StartServerAsync(storage: storage, services: s => s.AddLogging());

        var id = await Client.EnqueueAsync<JobLogTestJob>(j => j.WriteThroughContext(3, null!));

        await WaitForStateAsync(id, SucceededState.StateName);
        Assert.That(await Storage.Monitoring.GetJobLogAsync(id, 0, 100, CancellationToken.None), Is.Empty);
    }

    /// <summary>Records every log write; can refuse them.</summary>
    private sealed class RecordingLogStorage(IJobStorage inner) : DelegatingJobStorage(inner)
    {
        private int _stored;

        public ConcurrentQueue<IReadOnlyList<JobLogAppend>> Writes { get; } = new();

        public bool FailAppends { get; init; }

        public int? LinesWhenFinalStateWasWritten { get; private set; }

        public override async Task AppendJobLogAsync(IReadOnlyList<JobLogAppend> appends, int maxLinesPerJob, CancellationToken cancellationToken)
        {
            if (FailAppends)
            {
                throw new InvalidOperationException("The log table is away.");
            }

            Writes.Enqueue(appends);
            await base.AppendJobLogAsync(appends, maxLinesPerJob, cancellationToken);
            Interlocked.Add(ref _stored, appends.Sum(a => a.Lines.Count));
        }

        public override Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChange> changes, CancellationToken cancellationToken)
        {
            if (changes.Any(c => c.NewState is SucceededState))
            {
                LinesWhenFinalStateWasWritten = Volatile.Read(ref _stored);
            }

            return base.ChangeStatesAsync(changes, cancellationToken);
        }
    }
}
