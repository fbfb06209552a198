namespace Jobs.Storage;

/// <summary>A queue with how many jobs wait in it and the next few.</summary>
public sealed record QueueSummary(string Name, long Length, IReadOnlyList<JobSummary> FirstJobs);
