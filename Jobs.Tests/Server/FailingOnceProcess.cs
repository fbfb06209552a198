using Jobs.Server;

namespace Jobs.Tests.Server;

/// <summary>A DI-registered background process that throws on its first run and reports its second.</summary>
internal sealed class FailingOnceProcess : IBackgroundProcess
{
    private int _runs;

    public TaskCompletionSource<BackgroundProcessContext> Restarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => nameof(FailingOnceProcess);

    public async Task ExecuteAsync(BackgroundProcessContext context)
    {
        if (Interlocked.Increment(ref _runs) == 1)
        {
            throw new InvalidOperationException("First run fails.");
        }

        Restarted.TrySetResult(context);
        await Task.Delay(Timeout.Infinite, context.StoppingToken);
    }
}
