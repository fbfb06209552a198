namespace Jobs.Tests.Metrics;

/// <summary>Jobs whose outcomes the metrics tests count.</summary>
public static class MetricsTestJobs
{
    public static void Succeed()
    {
    }

    /// <summary>Fails on every attempt; one retry, right away.</summary>
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = new[] { 0 })]
    public static void FailWithOneRetry() => throw new InvalidOperationException("The metrics test job fails on purpose.");

    /// <summary>Fails once, for good.</summary>
    [AutomaticRetry(Attempts = 0)]
    public static void FailForGood() => throw new InvalidOperationException("The metrics test job fails for good.");
}
