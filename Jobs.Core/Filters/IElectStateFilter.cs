namespace Jobs.Filters;

/// <summary>May replace the state a job is about to enter (automatic retry turns Failed into Scheduled).</summary>
public interface IElectStateFilter
{
    Task OnStateElectionAsync(ElectStateContext context);
}
