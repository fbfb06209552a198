using Jobs.Storage;

namespace Jobs.Filters;

/// <summary>A job whose method has run (or threw, or was skipped).</summary>
public sealed class PerformedContext : PerformingContext
{
    public PerformedContext(PerformingContext performing, object? result, Exception? exception, TimeSpan duration)
        : base(performing.Storage, performing.Services!, performing.FetchedJob, performing.Job, performing.ServerId, performing.CancellationToken)
    {
        ArgumentNullException.ThrowIfNull(performing);
        Items = performing.Items;
        Canceled = performing.Canceled;
        Result = result;
        Exception = exception;
        Duration = duration;
    }

    public object? Result { get; }

    /// <summary>The exception the method (or a filter) threw, or null.</summary>
    public Exception? Exception { get; set; }

    /// <summary>Set to true to treat the exception as handled: the job then succeeds.</summary>
    public bool ExceptionHandled { get; set; }

    public TimeSpan Duration { get; }
}
