namespace Jobs.TestHost;

/// <summary>The job a probe runs as, filled in per job scope by <see cref="ProbeContextFilter"/>.</summary>
public sealed class ProbeContext
{
    public string? JobId { get; set; }

    public string? ServerId { get; set; }
}
