using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>Options of a task that bind themselves and list their own problems, so one registration and one validator serve them all.</summary>
internal interface ITaskOptions
{
    /// <summary>Applies the task's <c>Tasks:&lt;id&gt;</c> section and the <c>ConnectionStrings:App</c> fallback.</summary>
    void BindFrom(IConfiguration configuration);

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    IReadOnlyList<string> FindProblems();
}
