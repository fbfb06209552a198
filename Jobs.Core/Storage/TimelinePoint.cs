namespace Jobs.Storage;

/// <summary>Succeeded and failed counts for one hour or day, starting at <paramref name="Start"/> (UTC).</summary>
public sealed record TimelinePoint(DateTimeOffset Start, long Succeeded, long Failed);
