using System.Collections.Concurrent;
using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// Stores the lines of every job a server performs, in batches: one <see cref="IJobStorage.AppendJobLogAsync"/> for all
/// lines written within <see cref="JobLogOptions.FlushInterval"/>, sooner when <see cref="JobLogOptions.BatchSize"/> lines
/// wait or a job ends (<see cref="FlushAsync"/>). An idle server writes nothing. Jobs never wait for a write except at
/// their end; a failed write is logged and its lines are lost, never the job.
/// </summary>
internal sealed class JobLogWriter
{
    private readonly IJobStorage _storage;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<JobLog> _dirty = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly Lock _flushLock = new();
    private TaskCompletionSource _flushed = NewSignal();
    private TaskCompletionSource _urgent = NewSignal();
    private int _waiting;
    private bool _completed;
    private bool _stopped;

    public JobLogWriter(IJobStorage storage, JobLogOptions options, TimeProvider time, ILogger logger)
    {
        _storage = storage;
        Options = options;
        Time = time;
        _logger = logger;
    }

    public JobLogOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>Opens the log of a job about to be performed.</summary>
    public JobLog Begin(string jobId, CancellationToken cancellationToken) => new(this, jobId, cancellationToken);

    /// <summary>Called by a <see cref="JobLog"/> after each line; <paramref name="first"/> when the log had nothing waiting before.</summary>
    public void LineWritten(JobLog log, bool first)
    {
        if (first)
        {
            _dirty.Enqueue(log);
        }

        var waiting = Interlocked.Increment(ref _waiting);
        if (waiting == Options.BatchSize)
        {
            RequestFlush();
        }
        else if (waiting == 1)
        {
            _work.Release();
        }
    }

    /// <summary>Stores what waits now; completes after the next write (at once when the writer has stopped). Never throws.</summary>
    public Task FlushAsync()
    {
        Task flushed;
        lock (_flushLock)
        {
            if (_stopped)
            {
                return Task.CompletedTask;
            }

            flushed = _flushed.Task;
        }

        RequestFlush();
        return flushed;
    }

    /// <summary>Accepts no more work after what waits now; <see cref="RunAsync"/> stores it and ends.</summary>
    public void Complete()
    {
        Volatile.Write(ref _completed, true);
        RequestFlush();
    }

    /// <summary>Writes batches until <see cref="Complete"/> was called and the rest is stored, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        try
        {
            while (!Volatile.Read(ref _completed))
            {
                await _work.WaitAsync(abort);
                Task urgent;
                lock (_flushLock)
                {
                    urgent = _urgent.Task;
                }

                if (!urgent.IsCompleted)
                {
                    // Let more lines gather, unless a job ends or the batch fills meanwhile.
                    await Task.WhenAny(urgent, Task.Delay(Options.FlushInterval, Time, abort));
                    abort.ThrowIfCancellationRequested();
                }

                await WriteOnceAsync(abort);
            }

            await WriteOnceAsync(abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopping without waiting any longer: lines still waiting are lost.
        }
        finally
        {
            lock (_flushLock)
            {
                _stopped = true;
                _flushed.TrySetResult();
            }
        }
    }

    private void RequestFlush()
    {
        lock (_flushLock)
        {
            _urgent.TrySetResult();
        }

        _work.Release();
    }

    private async Task WriteOnceAsync(CancellationToken abort)
    {
        TaskCompletionSource flushed;
        lock (_flushLock)
        {
            // Whoever asks for a flush from now on waits for the next write: their lines may come after this take.
            flushed = _flushed;
            _flushed = NewSignal();
            _urgent = NewSignal();
        }

        Interlocked.Exchange(ref _waiting, 0);
        var appends = new List<JobLogAppend>();
        var lines = 0;
        while (_dirty.TryDequeue(out var log))
        {
            if (log.TakePending() is { } append)
            {
                appends.Add(append);
                lines += append.Lines.Count;
            }
        }

        try
        {
            if (appends.Count > 0)
            {
                await _storage.AppendJobLogAsync(appends, Options.MaxLinesPerJob, abort);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
        {
            ServerLog.JobLogWriteFailed(_logger, ex, lines, appends.Count);
        }
        finally
        {
            flushed.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
