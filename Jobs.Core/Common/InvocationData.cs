using System.Reflection;
using System.Text.Json;

namespace Jobs.Common;

/// <summary>
/// The stored form of a <see cref="Job"/>: type and parameter types by name without assembly
/// versions (so upgrades keep old jobs runnable), the method name, and the arguments as one JSON array.
/// </summary>
public sealed record InvocationData(string Type, string Method, IReadOnlyList<string> ParameterTypes, string Arguments)
{
    /// <summary>Serializes a job; throws <see cref="ArgumentException"/> naming the argument that does not serialize.</summary>
    public static InvocationData Serialize(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var parameters = job.Method.GetParameters();
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType == typeof(CancellationToken) || parameters[i].ParameterType == typeof(PerformContext))
            {
                values[i] = null; // the worker passes the job's own token and context
                continue;
            }

            try
            {
                values[i] = JsonSerializer.SerializeToElement(job.Args[i], parameters[i].ParameterType, JobSerializer.Options);
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
            {
                throw new ArgumentException(
                    $"Argument '{parameters[i].Name}' of {job.Type.Name}.{job.Method.Name} (type {parameters[i].ParameterType.Name}) cannot be serialized to JSON: {ex.Message}",
                    ex);
            }
        }

        return new InvocationData(
            TypeNames.Of(job.Type),
            job.Method.Name,
            parameters.Select(p => TypeNames.Of(p.ParameterType)).ToArray(),
            JsonSerializer.Serialize(values, JobSerializer.Options));
    }

    /// <summary>
    /// Rebuilds the job. Throws <see cref="JobLoadException"/> with a clear reason when the type or
    /// method no longer exists or the arguments no longer deserialize.
    /// </summary>
    public Job Deserialize()
    {
        var type = TypeNames.Resolve(Type)
            ?? throw new JobLoadException($"Type '{Type}' could not be found. Was it renamed, moved or removed?");

        var parameterTypes = new Type[ParameterTypes.Count];
        for (var i = 0; i < ParameterTypes.Count; i++)
        {
            parameterTypes[i] = TypeNames.Resolve(ParameterTypes[i])
                ?? throw new JobLoadException($"Parameter type '{ParameterTypes[i]}' of {Type}.{Method} could not be found.");
        }

        var method = FindMethod(type, Method, parameterTypes)
            ?? throw new JobLoadException(
                $"Method '{Method}({string.Join(", ", parameterTypes.Select(t => t.Name))})' was not found on type '{type.FullName}'.");

        JsonElement[] elements;
        try
        {
            elements = JsonSerializer.Deserialize<JsonElement[]>(Arguments, JobSerializer.Options) ?? [];
        }
        catch (JsonException ex)
        {
            throw new JobLoadException($"The arguments of {type.Name}.{Method} are not a valid JSON array: {ex.Message}", ex);
        }

        if (elements.Length != parameterTypes.Length)
        {
            throw new JobLoadException(
                $"{type.Name}.{Method} takes {parameterTypes.Length} argument(s), but {elements.Length} were stored.");
        }

        var args = new object?[parameterTypes.Length];
        var parameters = method.GetParameters();
        for (var i = 0; i < parameterTypes.Length; i++)
        {
            if (parameterTypes[i] == typeof(CancellationToken))
            {
                args[i] = CancellationToken.None;
                continue;
            }

            if (parameterTypes[i] == typeof(PerformContext))
            {
                args[i] = null;
                continue;
            }

            try
            {
                args[i] = elements[i].Deserialize(parameterTypes[i], JobSerializer.Options);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                throw new JobLoadException(
                    $"Argument '{parameters[i].Name}' of {type.Name}.{Method} could not be deserialized as {parameterTypes[i].Name} from {elements[i].GetRawText()}: {ex.Message}",
                    ex);
            }
        }

        return new Job(type, method, args);
    }

    /// <summary>A short display name such as <c>ReportTask.Build</c>.</summary>
    public string DisplayName => $"{TypeNames.ShortName(Type)}.{Method}";

    private static MethodInfo? FindMethod(Type type, string name, Type[] parameterTypes)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var method = type.GetMethod(name, flags, binder: null, parameterTypes, modifiers: null);
        if (method is not null)
        {
            return method;
        }

        // Methods declared on interfaces the type inherits are not found through the type itself.
        foreach (var candidate in type.GetInterfaces())
        {
            method = candidate.GetMethod(name, parameterTypes);
            if (method is not null)
            {
                return method;
            }
        }

        return null;
    }
}
