using System.Threading.Channels;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// The fetcher and the workers. The fetcher claims as many jobs as there are idle workers (plus
/// <see cref="BackgroundJobServerOptions.PrefetchCount"/> ahead of them) in one round trip and hands
/// them over locally; after a full batch it fetches again at once, otherwise it waits for the storage's
/// wake-up (or the poll interval). A job claimed ahead that no worker started within the poll interval
/// goes back to its queue. Workers perform a job and hand its
/// outcome to the <see cref="CompletionBatcher"/>; the outcome's result is awaited (and a lost
/// compare-and-set logged) beside the worker, which goes on with its next job, so fetching, performing
/// and storing overlap. At most <see cref="MaxPendingOutcomes"/> finished jobs wait for the storage.
/// </summary>
internal sealed class JobDispatcher : IDisposable
{
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(15);

    private readonly IJobStorage _storage;
    private readonly JobPerformer _performer;
    private readonly CompletionBatcher _batcher;
    private readonly string _serverId;
    private readonly string[] _queues;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RunningJob[] _running;
    private readonly Channel<Claimed> _handoff = Channel.CreateUnbounded<Claimed>();
    private readonly SemaphoreSlim _slotFreed = new(0);
    private readonly SemaphoreSlim _pendingOutcomes;
    private readonly Lock _abortLock = new();
    private readonly int _prefetch;
    private int _free;
    private bool _abortRequested;
    private Task _fetcher = Task.CompletedTask;
    private Task _workers = Task.CompletedTask;

    public JobDispatcher(IJobStorage storage, JobPerformer performer, CompletionBatcher batcher, string serverId, BackgroundJobServerOptions options, TimeProvider time, ILogger logger)
    {
        _storage = storage;
        _performer = performer;
        _batcher = batcher;
        _serverId = serverId;
        _queues = [.. options.Queues];
        _pollInterval = options.QueuePollInterval;
        _time = time;
        _logger = logger;
        _prefetch = options.PrefetchCount;
        _free = options.WorkerCount + options.PrefetchCount;
        _pendingOutcomes = new SemaphoreSlim(MaxPendingOutcomes(options.WorkerCount));
        _running = new RunningJob[options.WorkerCount];
        for (var i = 0; i < _running.Length; i++)
        {
            _running[i] = new RunningJob(time);
        }
    }

    /// <summary>How many finished jobs may wait for their outcome to be stored before workers wait too.</summary>
    public static int MaxPendingOutcomes(int workerCount) => Math.Max(4 * workerCount, 64);

    /// <summary>Completes when every worker has stopped (after the stopping token fired and their jobs ended).</summary>
    public Task Workers => _workers;

    public Task Fetcher => _fetcher;

    /// <summary>Jobs being performed now.</summary>
    public int RunningCount => _running.Count(r => r.JobId is not null);

    public void Start(CancellationToken stopping)
    {
        _fetcher = Task.Run(() => FetchLoopAsync(stopping), CancellationToken.None);
        var workers = new Task[_running.Length];
        for (var i = 0; i < workers.Length; i++)
        {
            var slot = _running[i];
            workers[i] = Task.Run(() => WorkerLoopAsync(slot, stopping), CancellationToken.None);
        }

        _workers = Task.WhenAll(workers);
    }

    /// <summary>The ids of the jobs being performed now.</summary>
    public IReadOnlyList<string> GetRunningJobIds()
    {
        var ids = new List<string>(_running.Length);
        foreach (var slot in _running)
        {
            if (slot.JobId is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Cancels the token of the given running job; false when it is not running here.</summary>
    public bool Abort(string jobId, JobAbortReason reason)
    {
        foreach (var slot in _running)
        {
            if (slot.Abort(reason, jobId))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Cancels the tokens of every running job, and of any job a worker starts from now on.</summary>
    public void AbortAll()
    {
        lock (_abortLock)
        {
            _abortRequested = true;
        }

        foreach (var slot in _running)
        {
            slot.Abort(JobAbortReason.Shutdown);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _running)
        {
            slot.Dispose();
        }

        // The semaphores stay usable: a worker abandoned on shutdown (its job ignored cancellation) may still finish.
    }

    private async Task FetchLoopAsync(CancellationToken stopping)
    {
        var errorDelay = TimeSpan.Zero;
        Task? wake = null;
        var busy = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (_prefetch > 0)
                {
                    await GiveBackUnstartedAsync(stopping);
                }

                var free = Volatile.Read(ref _free);
                if (free <= 0)
                {
                    // With jobs claimed ahead, wake up at the poll interval to give back those no worker started.
                    await _slotFreed.WaitAsync(_prefetch > 0 ? _pollInterval : Timeout.InfiniteTimeSpan, stopping);
                    continue;
                }

                try
                {
                    // The fetch is sent first, so the wait's look for Enqueued jobs does not delay it. After a short
                    // fetch (the queues looked drained) the wait is registered while this fetch runs: a job committed
                    // meanwhile is announced to it, or found by its look, so it wakes the wait below at once instead of
                    // being found only at the next poll. After a full fetch the queues are busy and the wait would only
                    // look for what the next fetch takes anyway: it is registered once a fetch comes back short.
                    var fetching = _storage.FetchNextAsync(new FetchRequest(_queues, free, _serverId), stopping);
                    if (!busy)
                    {
                        wake ??= _storage.WaitForJobsAsync(_queues, _pollInterval, stopping);
                    }

                    var jobs = await fetching;
                    Interlocked.Add(ref _free, -jobs.Count);
                    var claimedAt = _time.GetTimestamp();
                    foreach (var job in jobs)
                    {
                        _handoff.Writer.TryWrite(new Claimed(job, claimedAt));
                    }

                    errorDelay = TimeSpan.Zero;
                    busy = jobs.Count >= free;
                    if (!busy)
                    {
                        // The queues are drained for now: sleep until a job is announced or the poll interval passes.
                        var pending = wake ?? _storage.WaitForJobsAsync(_queues, _pollInterval, stopping);
                        wake = null;
                        await pending;
                    }
                    else if (wake is { IsCompleted: true })
                    {
                        // Already signaled (or timed out) while the batch was full: listen afresh next time.
                        _ = wake.Exception;
                        wake = null;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    if (wake is { IsCompleted: true })
                    {
                        _ = wake.Exception;
                        wake = null;
                    }

                    errorDelay = NextErrorDelay(errorDelay);
                    ServerLog.FetchFailed(_logger, ex, errorDelay);
                    await Task.Delay(errorDelay, _time, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: jobs claimed but not started are requeued when the server removes itself.
        }
        finally
        {
            _handoff.Writer.TryComplete();
        }
    }

    /// <summary>Sends jobs claimed ahead that have waited longer than the poll interval back to their queues.</summary>
    private async Task GiveBackUnstartedAsync(CancellationToken stopping)
    {
        var reader = _handoff.Reader;
        var now = _time.GetTimestamp();
        List<Claimed>? unstarted = null;
        while (reader.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.ClaimedAt, now) >= _pollInterval && reader.TryRead(out var taken))
        {
            // A worker may have taken the oldest in between: what is read instead goes back too, it is claimed again soon.
            (unstarted ??= []).Add(taken);
        }

        if (unstarted is null)
        {
            return;
        }

        var changes = unstarted
            .Select(c => new StateChange(c.Job.Id, new EnqueuedState(c.Job.Queue, "Claimed ahead, but no worker of the server started it in time"))
            {
                ExpectedStates = [ProcessingState.StateName],
                ExpectedServerId = _serverId,
            })
            .ToArray();
        try
        {
            await _storage.ChangeStatesAsync(changes, stopping);
            Interlocked.Add(ref _free, unstarted.Count);
            ServerLog.GaveBackUnstartedJobs(_logger, unstarted.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Keep them: a worker performs them, or they are requeued when the server stops.
            ServerLog.GiveBackFailed(_logger, ex, unstarted.Count);
            foreach (var claimed in unstarted)
            {
                _handoff.Writer.TryWrite(claimed with { ClaimedAt = _time.GetTimestamp() });
            }
        }
    }

    private TimeSpan NextErrorDelay(TimeSpan previous)
    {
        var first = _pollInterval < TimeSpan.FromSeconds(1) ? _pollInterval : TimeSpan.FromSeconds(1);
        return previous == TimeSpan.Zero ? first : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, MaxErrorDelay.Ticks));
    }

    private async Task WorkerLoopAsync(RunningJob slot, CancellationToken stopping)
    {
        var reader = _handoff.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                if (!reader.TryRead(out var claimed))
                {
                    continue;
                }

                await HandleAsync(claimed.Job, slot);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: jobs waiting in the hand-off are requeued when the server removes itself.
        }
    }

    private async Task HandleAsync(FetchedJob job, RunningJob slot)
    {
        slot.Begin(job.Id);
        lock (_abortLock)
        {
            if (_abortRequested)
            {
                slot.Abort(JobAbortReason.Shutdown);
            }
        }

        StateChangeRequest? outcome;
        try
        {
            outcome = await _performer.PerformAsync(job, slot);
        }
        catch (Exception ex)
        {
            // Never lose a worker: the job stays held and is requeued when this server stops or times out.
            ServerLog.WorkerFailed(_logger, ex, job.Id);
            outcome = null;
        }
        finally
        {
            slot.End();

            // The method has ended: the worker counts as free, so the next job is fetched while this
            // outcome is being stored (the two round trips overlap instead of adding up).
            FreeSlot();
        }

        if (outcome is null)
        {
            return;
        }

        // The outcome is stored by the batcher while this worker goes on with its next job; only when
        // too many outcomes are waiting for the storage does the worker wait (back-pressure).
        await _pendingOutcomes.WaitAsync();
        _ = AwaitOutcomeAsync(job.Id, outcome);
    }

    private async Task AwaitOutcomeAsync(string jobId, StateChangeRequest outcome)
    {
        try
        {
            if (!await _batcher.SubmitAsync(outcome))
            {
                ServerLog.OutcomeNotStored(_logger, jobId, outcome.CandidateState.Name);
            }
        }
        catch (Exception ex)
        {
            ServerLog.WorkerFailed(_logger, ex, jobId);
        }
        finally
        {
            _pendingOutcomes.Release();
        }
    }

    private void FreeSlot()
    {
        Interlocked.Increment(ref _free);
        if (_slotFreed.CurrentCount == 0)
        {
            _slotFreed.Release();
        }
    }

    /// <summary>A job this server holds and no worker has started yet, with the moment (timestamp) it was claimed.</summary>
    private readonly record struct Claimed(FetchedJob Job, long ClaimedAt);
}
