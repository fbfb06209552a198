namespace Jobs.Tasks;

/// <summary>Options of a task that can list their own problems, so one validator serves them all.</summary>
internal interface ITaskOptions
{
    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    IReadOnlyList<string> FindProblems();
}
