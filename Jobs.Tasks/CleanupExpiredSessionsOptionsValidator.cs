using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>Reports <see cref="CleanupExpiredSessionsOptions.FindProblems"/> to the options system, for <c>ValidateOnStart</c>.</summary>
internal sealed class CleanupExpiredSessionsOptionsValidator : IValidateOptions<CleanupExpiredSessionsOptions>
{
    public ValidateOptionsResult Validate(string? name, CleanupExpiredSessionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.FindProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
