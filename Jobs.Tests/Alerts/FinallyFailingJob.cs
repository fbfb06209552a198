namespace Jobs.Tests.Alerts;

/// <summary>Fails on every attempt; retried once after one second, then finally failed.</summary>
public sealed class FinallyFailingJob
{
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = [1])]
    public void Run(string customer, int orderId) =>
        throw new InvalidOperationException($"Payment for order {orderId} of {customer} was declined <b>twice</b>");
}
