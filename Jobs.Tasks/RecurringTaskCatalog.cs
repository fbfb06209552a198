using System.Reflection;
using System.Text.RegularExpressions;
using Jobs.States;
using Microsoft.Extensions.Configuration;
using NCrontab;

namespace Jobs.Tasks;

/// <summary>
/// The recurring tasks of the task library: every class marked <see cref="RecurringTaskAttribute"/>, with the
/// overrides of configuration section <c>Tasks:&lt;id&gt;</c> applied and everything validated. The server host
/// registers the <see cref="Definitions"/> with the recurring job manager; the catalog itself only describes them.
/// </summary>
/// <remarks>
/// Configuration keys, all optional: <c>Tasks:&lt;id&gt;:Cron</c>, <c>Tasks:&lt;id&gt;:TimeZone</c>,
/// <c>Tasks:&lt;id&gt;:Queue</c> and <c>Tasks:&lt;id&gt;:Enabled</c> (<c>true</c> or <c>false</c>). A task's own
/// settings may sit in the same section (e.g. <c>Tasks:cleanup-expired-sessions:BatchSize</c>). A section under
/// <c>Tasks</c> whose id names no task is an error, so a misspelt id does not go unnoticed.
/// </remarks>
public sealed partial class RecurringTaskCatalog
{
    /// <summary>The configuration section holding one subsection per task id.</summary>
    public const string ConfigurationSection = "Tasks";

    private RecurringTaskCatalog(IReadOnlyList<RecurringTaskDefinition> definitions)
    {
        Definitions = definitions;
    }

    /// <summary>Every task, enabled or not, ordered by id.</summary>
    public IReadOnlyList<RecurringTaskDefinition> Definitions { get; }

    /// <summary>The tasks that configuration did not switch off.</summary>
    public IEnumerable<RecurringTaskDefinition> Enabled => Definitions.Where(d => d.Enabled);

    /// <summary>The task with this id (compared as configuration keys are: ignoring case), or null.</summary>
    public RecurringTaskDefinition? Find(string id) =>
        Definitions.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Discovers the <see cref="RecurringTaskAttribute"/> classes of <paramref name="assembly"/> (default: Jobs.Tasks)
    /// and applies <paramref name="configuration"/> (the root configuration; its <c>Tasks</c> section is read).
    /// </summary>
    /// <exception cref="RecurringTaskCatalogException">A task or its configuration is invalid; every problem is listed.</exception>
    public static RecurringTaskCatalog FromAssembly(Assembly? assembly = null, IConfiguration? configuration = null)
    {
        assembly ??= typeof(RecurringTaskCatalog).Assembly;
        return FromTypes(LoadableTypes(assembly).Where(t => t.IsDefined(typeof(RecurringTaskAttribute), inherit: false)), configuration);
    }

    /// <summary>Builds the catalog from the given task classes, each of which must carry <see cref="RecurringTaskAttribute"/>.</summary>
    /// <exception cref="RecurringTaskCatalogException">A task or its configuration is invalid; every problem is listed.</exception>
    public static RecurringTaskCatalog FromTypes(IEnumerable<Type> taskTypes, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(taskTypes);
        var errors = new List<string>();
        var definitions = new List<RecurringTaskDefinition>();
        var tasks = configuration?.GetSection(ConfigurationSection);
        var declaredIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var type in taskTypes.Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.GetCustomAttribute<RecurringTaskAttribute>(inherit: false)?.Id is { } declaredId)
            {
                declaredIds.Add(declaredId);
            }

            var definition = Describe(type, tasks, errors);
            if (definition is null)
            {
                continue;
            }

            var clash = definitions.Find(d => string.Equals(d.Id, definition.Id, StringComparison.OrdinalIgnoreCase));
            if (clash is not null)
            {
                var spelling = clash.Id == definition.Id
                    ? ""
                    : $" ('{definition.Id}' differs only in case, and ids are compared as configuration keys are: ignoring case)";
                errors.Add($"Duplicate recurring task id '{clash.Id}'{spelling}: used by {clash.TaskType.FullName} and {type.FullName}.");
                continue;
            }

            definitions.Add(definition);
        }

        if (tasks is not null)
        {
            foreach (var section in tasks.GetChildren())
            {
                if (!declaredIds.Contains(section.Key))
                {
                    var known = declaredIds.Count == 0 ? "none" : string.Join(", ", declaredIds.Order(StringComparer.Ordinal));
                    errors.Add($"Configuration section '{section.Path}' names no recurring task (known ids: {known}).");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new RecurringTaskCatalogException(errors);
        }

        definitions.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new RecurringTaskCatalog(definitions);
    }

    private static RecurringTaskDefinition? Describe(Type type, IConfigurationSection? tasks, List<string> errors)
    {
        var attribute = type.GetCustomAttribute<RecurringTaskAttribute>(inherit: false);
        if (attribute is null)
        {
            errors.Add($"{type.FullName} has no [RecurringTask] attribute.");
            return null;
        }

        var errorCount = errors.Count;
        if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
        {
            errors.Add($"{type.FullName}: a recurring task must be a concrete, non-generic class.");
        }

        var method = FindRunMethod(type, errors);

        var id = attribute.Id;
        if (string.IsNullOrEmpty(id) || !ValidId().IsMatch(id))
        {
            errors.Add($"{type.FullName}: recurring task id '{id}' is invalid: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            return null;
        }

        var section = tasks?.GetSection(id);
        var cron = Setting(section, "Cron", attribute.Cron, errors);
        var timeZoneId = Setting(section, "TimeZone", attribute.TimeZone, errors);
        var queue = Setting(section, "Queue", attribute.Queue, errors);
        var enabled = EnabledSetting(section, errors);

        var source = section?["Cron"] is null ? $"[RecurringTask] on {type.FullName}" : $"'{section.Path}:Cron'";
        CheckCron(cron, source, errors);

        source = section?["TimeZone"] is null ? $"[RecurringTask] on {type.FullName}" : $"'{section.Path}:TimeZone'";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out _))
        {
            errors.Add($"{source}: time zone '{timeZoneId}' is not known on this machine (use an IANA id such as 'Europe/Berlin').");
        }

        source = section?["Queue"] is null ? $"[RecurringTask] on {type.FullName}" : $"'{section.Path}:Queue'";
        try
        {
            QueueNames.Validate(queue);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{source}: {ex.Message.Split(" (Parameter", 2)[0]}");
        }

        if (errors.Count > errorCount || method is null)
        {
            return null;
        }

        return new RecurringTaskDefinition(id, type, method, cron, timeZoneId, queue, enabled);
    }

    private static MethodInfo? FindRunMethod(Type type, List<string> errors)
    {
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == "RunAsync")
            .ToList();
        var method = candidates.Find(m =>
            !m.ContainsGenericParameters
            && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(CancellationToken)
            && (m.ReturnType == typeof(Task) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))));
        if (method is null)
        {
            var found = candidates.Count == 0
                ? "it has none"
                : "found only " + string.Join(", ", candidates.Select(m =>
                    $"{m.ReturnType.Name} RunAsync({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})"));
            errors.Add($"{type.FullName} must have a public method 'Task RunAsync(CancellationToken)' or 'Task<TResult> RunAsync(CancellationToken)'; {found}.");
        }

        return method;
    }

    private static string Setting(IConfigurationSection? section, string key, string fallback, List<string> errors)
    {
        var value = section?[key];
        if (value is null)
        {
            return fallback;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"'{section!.Path}:{key}' is empty; remove it to use the default '{fallback}'.");
            return fallback;
        }

        return value.Trim();
    }

    private static bool EnabledSetting(IConfigurationSection? section, List<string> errors)
    {
        var value = section?["Enabled"];
        if (value is null)
        {
            return true;
        }

        if (bool.TryParse(value, out var enabled))
        {
            return enabled;
        }

        errors.Add($"'{section!.Path}:Enabled' must be 'true' or 'false', was '{value}'.");
        return true;
    }

    private static void CheckCron(string cron, string source, List<string> errors)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            errors.Add($"{source}: cron '{cron}' has {fields} field(s); use 5 (minute hour day month weekday) or 6 (seconds first).");
            return;
        }

        try
        {
            CrontabSchedule.Parse(cron, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
        }
        catch (CrontabException ex)
        {
            errors.Add($"{source}: cron '{cron}' is invalid: {ex.Message}");
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidId();
}
