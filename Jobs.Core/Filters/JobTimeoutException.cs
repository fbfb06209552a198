namespace Jobs;

/// <summary>A job ran longer than its <see cref="JobTimeoutAttribute"/> allows; the attempt fails (and retries apply).</summary>
public sealed class JobTimeoutException : TimeoutException
{
    public JobTimeoutException()
    {
    }

    public JobTimeoutException(string message)
        : base(message)
    {
    }

    public JobTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JobTimeoutException(TimeSpan timeout, Exception? innerException = null)
        : base(FormattableString.Invariant($"Job exceeded its timeout of {timeout:c}"), innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout the job exceeded.</summary>
    public TimeSpan Timeout { get; }
}
