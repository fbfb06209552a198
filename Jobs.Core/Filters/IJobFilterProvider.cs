namespace Jobs.Filters;

/// <summary>Gives the filters that apply to a job: global ones, then the job class's attributes, then the method's.</summary>
public interface IJobFilterProvider
{
    /// <summary>Filters ordered by scope (global, class, method) and <see cref="JobFilterAttribute.Order"/>; only global ones when <paramref name="job"/> is null.</summary>
    IReadOnlyList<object> GetFilters(Job? job);
}
