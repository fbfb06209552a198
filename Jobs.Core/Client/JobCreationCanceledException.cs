namespace Jobs;

/// <summary>A client filter canceled the creation of a job.</summary>
public sealed class JobCreationCanceledException : InvalidOperationException
{
    public JobCreationCanceledException()
    {
    }

    public JobCreationCanceledException(string message)
        : base(message)
    {
    }

    public JobCreationCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
