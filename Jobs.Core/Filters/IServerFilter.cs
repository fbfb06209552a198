namespace Jobs.Filters;

/// <summary>Runs around the performance of a job by a worker.</summary>
public interface IServerFilter
{
    /// <summary>Before the method runs; setting <see cref="PerformingContext.Canceled"/> skips it.</summary>
    Task OnPerformingAsync(PerformingContext context);

    /// <summary>After the method ran (or threw); may mark the exception handled.</summary>
    Task OnPerformedAsync(PerformedContext context);
}
