namespace Jobs.States;

/// <summary>Performing threw, and no retry was elected. Kept until deleted or retried.</summary>
public sealed class FailedState : IState
{
    public const string StateName = "Failed";

    public FailedState(Exception exception, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Exception = exception;
        ExceptionType = exception.GetType().FullName ?? exception.GetType().Name;
        ExceptionMessage = exception.Message;
        ExceptionDetails = exception.ToString();
        Reason = reason;
    }

    public Exception Exception { get; }

    public string ExceptionType { get; }

    public string ExceptionMessage { get; }

    /// <summary>The exception with its stack trace and inner exceptions.</summary>
    public string ExceptionDetails { get; }

    /// <summary>The server the failed attempt ran on, when known.</summary>
    public string? ServerId { get; init; }

    public string Name => StateName;

    public string? Reason { get; }

    public bool IsFinal => false;

    public IReadOnlyDictionary<string, string> SerializeData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ExceptionType"] = ExceptionType,
            ["ExceptionMessage"] = ExceptionMessage,
            ["ExceptionDetails"] = ExceptionDetails,
        };
        if (ServerId is not null)
        {
            data["ServerId"] = ServerId;
        }

        return data;
    }
}
