namespace Jobs.Tests.Dashboard;

/// <summary>A job the browser watches: writes a line, waits, writes another, waits, writes the last.</summary>
public sealed class LiveLogJob(LiveLogGates gates)
{
    public async Task RunAsync(PerformContext context, CancellationToken cancellationToken)
    {
        context.WriteLine("started");
        gates.Started.TrySetResult();
        await gates.Middle.Task.WaitAsync(cancellationToken);
        context.WriteLine("middle <b>not bold</b>");
        await gates.Finish.Task.WaitAsync(cancellationToken);
        context.WriteLine("finished");
    }
}
