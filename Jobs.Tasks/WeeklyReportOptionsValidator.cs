using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>Reports <see cref="WeeklyReportOptions.FindProblems"/> to the options system, for <c>ValidateOnStart</c>.</summary>
internal sealed class WeeklyReportOptionsValidator : IValidateOptions<WeeklyReportOptions>
{
    public ValidateOptionsResult Validate(string? name, WeeklyReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.FindProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
