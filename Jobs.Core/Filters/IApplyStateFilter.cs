namespace Jobs.Filters;

/// <summary>Sees a job leave its old state and enter the new one, after the change was stored.</summary>
public interface IApplyStateFilter
{
    Task OnStateAppliedAsync(ApplyStateContext context);

    Task OnStateUnappliedAsync(ApplyStateContext context);
}
