namespace Jobs.Tasks;

/// <summary>Thrown when the recurring tasks or their configuration are invalid; lists every problem found.</summary>
public sealed class RecurringTaskCatalogException : Exception
{
    public RecurringTaskCatalogException()
        : this([])
    {
    }

    public RecurringTaskCatalogException(string message)
        : this([message])
    {
    }

    public RecurringTaskCatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public RecurringTaskCatalogException(IReadOnlyList<string> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>One sentence per problem, each naming the task class or configuration key at fault.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors) =>
        errors.Count switch
        {
            0 => "The recurring tasks are invalid.",
            1 => "Invalid recurring task: " + errors[0],
            _ => $"{errors.Count} problems with the recurring tasks:" + string.Concat(errors.Select(e => Environment.NewLine + "- " + e)),
        };
}
