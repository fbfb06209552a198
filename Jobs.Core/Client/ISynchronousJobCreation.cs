using Jobs.Storage;

namespace Jobs;

/// <summary>
/// A storage that can also create jobs with blocking I/O. The synchronous client calls (<c>Enqueue</c>, <c>Schedule</c>,
/// <c>ContinueJobWith</c>) use it instead of blocking their thread on the asynchronous path, where every round trip
/// completes on the thread pool and wakes the caller from there (measured: most of the client's CPU per call went to
/// thread-pool workers spinning for more work between those hops).
/// </summary>
internal interface ISynchronousJobCreation
{
    /// <summary>As <see cref="IJobStorage.CreateJobsAsync"/>, on the calling thread: the jobs are committed when it returns.</summary>
    IReadOnlyList<string> CreateJobs(IReadOnlyList<NewJob> jobs);
}
