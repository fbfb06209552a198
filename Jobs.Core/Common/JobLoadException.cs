namespace Jobs.Common;

/// <summary>A stored job could not be turned back into a method call: its type, method or arguments are gone or changed.</summary>
public sealed class JobLoadException : Exception
{
    public JobLoadException()
    {
    }

    public JobLoadException(string message)
        : base(message)
    {
    }

    public JobLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
