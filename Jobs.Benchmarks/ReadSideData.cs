namespace Jobs.Benchmarks;

/// <summary>What the read-side load left in the schema: the count, the load's "now", and jobs and terms worth looking up.</summary>
internal sealed record ReadSideData(
    int Total,
    DateTimeOffset End,
    string SucceededJobId,
    string FailedJobId,
    string RecurringJobId,
    string SingleMatchArgument);
