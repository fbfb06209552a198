namespace Jobs.Tests.Dashboard;

/// <summary>The job type the dashboard tests store; its methods never run (no server is started).</summary>
public sealed class DashboardSampleJob
{
    public void Run(string text) => Last = text;

    public void Report(string customer) => Last = customer;

    public string? Last { get; private set; }
}
