namespace Jobs.Tests.Metrics;

/// <summary>Waits for a condition with a generous timeout, checking every 50 ms; fails the test with <c>what</c> when it never holds.</summary>
internal static class MetricsPoll
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up after {Patience.TotalSeconds} s waiting for {what}. Last value:\n{value}");
            }

            await Task.Delay(50);
        }
    }
}
