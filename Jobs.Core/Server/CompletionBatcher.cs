using System.Threading.Channels;
using Jobs.States;
using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// Stores the outcomes of every worker's jobs in batches: one round trip through the state machine
/// carries all outcomes that arrived while the previous round trip was running (up to
/// <see cref="MaxBatchSize"/>). Each worker awaits its own result.
/// </summary>
internal sealed class CompletionBatcher
{
    public const int MaxBatchSize = 256;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(15);

    private readonly BackgroundJobStateChanger _stateChanger;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _firstRetryDelay;
    private readonly Channel<Completion> _channel = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true });

    public CompletionBatcher(BackgroundJobStateChanger stateChanger, TimeProvider time, ILogger logger, TimeSpan firstRetryDelay)
    {
        _stateChanger = stateChanger;
        _time = time;
        _logger = logger;
        _firstRetryDelay = firstRetryDelay;
    }

    /// <summary>Queues an outcome; the task says whether it was stored (false: the job changed meanwhile, or the batcher stopped).</summary>
    public Task<bool> SubmitAsync(StateChangeRequest request)
    {
        var completion = new Completion(request, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _channel.Writer.TryWrite(completion) ? completion.Result.Task : Task.FromResult(false);
    }

    /// <summary>Accepts no more outcomes; <see cref="RunAsync"/> ends once the queued ones are stored.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Stores outcomes until <see cref="Complete"/> was called and all are stored, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        var reader = _channel.Reader;
        var batch = new List<Completion>(MaxBatchSize);
        var requests = new List<StateChangeRequest>(MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(abort))
            {
                while (batch.Count < MaxBatchSize && reader.TryRead(out var completion))
                {
                    batch.Add(completion);
                    requests.Add(completion.Request);
                }

                await StoreAsync(batch, requests, abort);
                batch.Clear();
                requests.Clear();
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            foreach (var completion in batch)
            {
                completion.Result.TrySetResult(false);
            }
        }
        finally
        {
            _channel.Writer.TryComplete();
            while (reader.TryRead(out var left))
            {
                left.Result.TrySetResult(false);
            }
        }
    }

    private async Task StoreAsync(List<Completion> batch, List<StateChangeRequest> requests, CancellationToken abort)
    {
        var delay = _firstRetryDelay;
        while (true)
        {
            try
            {
                var applied = await _stateChanger.ChangeStatesAsync(requests, abort);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(applied[i]);
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                // The storage is away: keep the outcomes and try again, the jobs stay held meanwhile.
                ServerLog.CompletionFailed(_logger, ex, batch.Count, delay);
                await Task.Delay(delay, _time, abort);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private readonly record struct Completion(StateChangeRequest Request, TaskCompletionSource<bool> Result);
}
