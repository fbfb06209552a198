namespace Jobs.TestHost;

/// <summary>
/// A job that fails on its first attempt and succeeds on every later one. The first attempt leaves the file it
/// is given behind, so what it did survives across attempts, workers and processes. No automatic retries: the
/// job ends Failed after the first attempt and waits for an admin to retry it. Needs nothing from the server's
/// container, so any host that loads this assembly (Jobs.Server through <c>Jobs:Server:JobAssemblies</c>) runs it.
/// </summary>
public sealed class FailsOnceJob
{
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(string attemptFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(attemptFile))
        {
            await File.WriteAllTextAsync(attemptFile, "the first attempt failed", cancellationToken);
            throw new InvalidOperationException($"The first attempt fails on purpose (it left {attemptFile} behind for the next one).");
        }

        return "Succeeded on a later attempt";
    }
}
