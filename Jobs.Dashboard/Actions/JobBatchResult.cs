namespace Jobs.Dashboard.Actions;

/// <summary>What a batch of job actions did: the jobs changed, why the others were not, and how many of those no longer exist.</summary>
internal sealed record JobBatchResult(IReadOnlyList<string> Done, IReadOnlyList<string> Problems, int NotFound);
