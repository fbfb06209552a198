using System.Collections.Concurrent;
using System.Reflection;

namespace Jobs.Filters;

/// <summary>
/// Global filters plus attributes on the job's class and method. An attribute that does not allow
/// several instances replaces one of the same type from a wider scope, so
/// <c>[AutomaticRetry(Attempts = 0)]</c> on a method overrides the global retry filter.
/// </summary>
public sealed class JobFilterProvider : IJobFilterProvider
{
    private readonly IReadOnlyList<object> _globalFilters;
    private readonly ConcurrentDictionary<(Type, MethodInfo), IReadOnlyList<object>> _cache = new();

    public JobFilterProvider(IEnumerable<object> globalFilters)
    {
        ArgumentNullException.ThrowIfNull(globalFilters);
        _globalFilters = globalFilters.ToArray();
    }

    public IReadOnlyList<object> GetFilters(Job? job)
    {
        if (job is null)
        {
            return _globalFilters;
        }

        return _cache.GetOrAdd((job.Type, job.Method), static (key, global) => Collect(key.Item1, key.Item2, global), _globalFilters);
    }

    private static IReadOnlyList<object> Collect(Type type, MethodInfo method, IReadOnlyList<object> global)
    {
        var scoped = new List<(object Filter, int Scope, int Order)>();
        scoped.AddRange(global.Select(f => (f, 0, (f as JobFilterAttribute)?.Order ?? 0)));
        scoped.AddRange(type.GetCustomAttributes<JobFilterAttribute>(inherit: true).Select(a => ((object)a, 1, a.Order)));
        scoped.AddRange(method.GetCustomAttributes<JobFilterAttribute>(inherit: true).Select(a => ((object)a, 2, a.Order)));

        // A single-instance attribute from a narrower scope replaces the same type from wider scopes.
        var narrowest = new Dictionary<Type, int>();
        foreach (var (filter, scope, _) in scoped)
        {
            if (!AllowsMultiple(filter.GetType()))
            {
                narrowest[filter.GetType()] = narrowest.TryGetValue(filter.GetType(), out var seen) ? Math.Max(seen, scope) : scope;
            }
        }

        return scoped
            .Where(f => AllowsMultiple(f.Filter.GetType()) || narrowest[f.Filter.GetType()] == f.Scope)
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Scope)
            .Select(f => f.Filter)
            .ToArray();
    }

    private static bool AllowsMultiple(Type filterType) =>
        filterType.GetCustomAttribute<AttributeUsageAttribute>(inherit: true)?.AllowMultiple ?? true;
}
