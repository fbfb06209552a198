namespace Jobs.Storage;

/// <summary>A distributed lock was not free within the time allowed.</summary>
public sealed class DistributedLockTimeoutException : TimeoutException
{
    public DistributedLockTimeoutException()
    {
    }

    public DistributedLockTimeoutException(string message)
        : base(message)
    {
    }

    public DistributedLockTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DistributedLockTimeoutException(string resource, TimeSpan timeout)
        : base($"Lock '{resource}' was not free within {timeout}.")
    {
        Resource = resource;
    }

    public string? Resource { get; }
}
