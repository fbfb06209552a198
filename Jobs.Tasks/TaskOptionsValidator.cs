using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>Reports <see cref="TaskOptions.FindProblems"/> to the options system, for <c>ValidateOnStart</c>.</summary>
internal sealed class TaskOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : TaskOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.FindProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
