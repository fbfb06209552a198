namespace Jobs.Tests.Alerts;

/// <summary>Fails on every attempt: <see cref="Run"/> is retried once after one second, <see cref="RunOnce"/> not at all.</summary>
public sealed class FinallyFailingJob
{
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = [1])]
    public void Run(string customer, int orderId) =>
        throw new InvalidOperationException($"Payment for order {orderId} of {customer} was declined <b>twice</b>");

    [AutomaticRetry(Attempts = 0)]
    public void RunOnce(int orderId) =>
        throw new InvalidOperationException($"Order {orderId} could not be shipped");
}
