namespace Jobs.Tests.Alerts;

/// <summary>Jobs whose failures the alert tests report on.</summary>
public sealed class AlertTestJob
{
    public void Fail(string message) => throw new InvalidOperationException(message);

    public void Other(int value) => throw new ArgumentException($"other {value}");

    public void Succeed(string message)
    {
        _ = message;
    }
}
