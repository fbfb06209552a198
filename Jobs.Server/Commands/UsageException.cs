namespace Jobs.Server.Commands;

/// <summary>The command line is wrong in a way the parser cannot see (a stray argument): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
