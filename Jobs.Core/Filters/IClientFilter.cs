namespace Jobs.Filters;

/// <summary>Runs around the creation of a job by a client.</summary>
public interface IClientFilter
{
    /// <summary>Before the job is written; may change <see cref="CreatingContext.InitialState"/> or cancel the creation.</summary>
    Task OnCreatingAsync(CreatingContext context);

    /// <summary>After the job is written (or the creation was canceled).</summary>
    Task OnCreatedAsync(CreatedContext context);
}
