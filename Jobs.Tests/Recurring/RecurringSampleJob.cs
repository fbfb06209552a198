namespace Jobs.Tests.Recurring;

/// <summary>Methods for recurring job tests; never performed.</summary>
public sealed class RecurringSampleJob
{
    public void Run(int number) => _ = number;

    public Task RunAsync() => Task.CompletedTask;

    [Queue("critical")]
    public void RunCritical() => _ = this;

    public static void RunStatic(string text) => _ = text;

    public int Value => 0;
}
