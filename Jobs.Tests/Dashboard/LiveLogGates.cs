namespace Jobs.Tests.Dashboard;

/// <summary>What the test and the <see cref="LiveLogJob"/> wait for.</summary>
public sealed class LiveLogGates
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Middle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
