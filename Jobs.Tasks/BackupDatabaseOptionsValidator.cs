using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>Reports <see cref="BackupDatabaseOptions.FindProblems"/> to the options system, for <c>ValidateOnStart</c>.</summary>
internal sealed class BackupDatabaseOptionsValidator : IValidateOptions<BackupDatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, BackupDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.FindProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
