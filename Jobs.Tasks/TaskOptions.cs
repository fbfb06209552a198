using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>
/// What the options of every task share: they are bound from the task's <c>Tasks:&lt;id&gt;</c> section (the section that
/// also holds its <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>), and they list their own problems, one
/// sentence each naming the key at fault, so one registration and one validator serve them all.
/// </summary>
public abstract class TaskOptions
{
    private protected TaskOptions(string section) => Section = section;

    /// <summary>The configuration section the options are bound from.</summary>
    private protected string Section { get; }

    /// <summary>Applies the task's section to this instance.</summary>
    public virtual void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        ClearDefaultsOfConfiguredLists(section);
        section.Bind(this);
    }

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> FindProblems()
    {
        var problems = new List<string>();
        AddSharedProblems(problems);
        AddProblems(problems);
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="FindProblems"/>.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(FindProblems());

    /// <summary>A new instance of <typeparamref name="TOptions"/> with its defaults, bound from <paramref name="configuration"/>.</summary>
    private protected static TOptions CreateBound<TOptions>(IConfiguration configuration)
        where TOptions : TaskOptions, new()
    {
        var options = new TOptions();
        options.BindFrom(configuration);
        return options;
    }

    /// <summary>
    /// The binder appends configured array items to the ones already there: a list setting with a default empties it
    /// here when <paramref name="section"/> configures the list, so a configured list replaces the default.
    /// </summary>
    private protected virtual void ClearDefaultsOfConfiguredLists(IConfigurationSection section)
    {
    }

    /// <summary>Adds the problems of the settings that options of this kind share; they come before the task's own.</summary>
    private protected virtual void AddSharedProblems(List<string> problems)
    {
    }

    /// <summary>Adds the problems of the task's own settings.</summary>
    private protected abstract void AddProblems(List<string> problems);
}
