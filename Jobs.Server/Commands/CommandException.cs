namespace Jobs.Server.Commands;

/// <summary>An expected failure of a command: its message goes to stderr as it is (no stack trace) and the exit code is 1.</summary>
internal sealed class CommandException : Exception
{
    public CommandException()
    {
    }

    public CommandException(string message)
        : base(message)
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
