using System.Reflection;
using System.Text.Json;
using Jobs.Common;

namespace Jobs.Server.Commands;

/// <summary>
/// Turns the JSON arguments of <c>enqueue</c> into the argument values of a task's method: a JSON array in parameter
/// order, or an object by parameter name (case ignored). <see cref="CancellationToken"/> parameters are not given:
/// they get the placeholder the worker replaces with the job's token. Parameters with a default value may be left out.
/// </summary>
internal static class TaskArguments
{
    /// <exception cref="CommandException">The JSON does not parse, does not fit the parameters, or a value does not deserialize; the message names it.</exception>
    public static object?[] Bind(MethodInfo method, string? json)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parameters = method.GetParameters();
        var open = parameters.Where(p => p.ParameterType != typeof(CancellationToken)).ToList();
        var given = new Dictionary<ParameterInfo, JsonElement>();

        if (!string.IsNullOrWhiteSpace(json))
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(json);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new CommandException($"The arguments are not valid JSON: {ex.Message}", ex);
            }

            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    var items = root.EnumerateArray().ToList();
                    if (items.Count > open.Count)
                    {
                        throw new CommandException($"{Signature(method)} takes {Count(open.Count)}, but the JSON array holds {items.Count}.");
                    }

                    for (var i = 0; i < items.Count; i++)
                    {
                        given[open[i]] = items[i];
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in root.EnumerateObject())
                    {
                        var parameter = open.Find(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))
                            ?? throw new CommandException(
                                $"{Signature(method)} has no parameter '{property.Name}'{(open.Count == 0 ? "" : $" (its parameters: {string.Join(", ", open.Select(p => p.Name))})")}.");
                        if (!given.TryAdd(parameter, property.Value))
                        {
                            throw new CommandException($"The argument '{parameter.Name}' is given twice.");
                        }
                    }

                    break;
                default:
                    throw new CommandException(
                        $"Give the arguments as a JSON array in parameter order or a JSON object by parameter name, not a {root.ValueKind.ToString().ToLowerInvariant()} ({Signature(method)}).");
            }
        }

        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.ParameterType == typeof(CancellationToken))
            {
                values[i] = CancellationToken.None;
            }
            else if (given.TryGetValue(parameter, out var element))
            {
                values[i] = Deserialize(method, parameter, element);
            }
            else if (parameter.HasDefaultValue)
            {
                values[i] = parameter.DefaultValue;
            }
            else
            {
                throw new CommandException($"The argument '{parameter.Name}' ({TypeName(parameter.ParameterType)}) of {Signature(method)} is missing.");
            }
        }

        return values;
    }

    private static object? Deserialize(MethodInfo method, ParameterInfo parameter, JsonElement element)
    {
        try
        {
            return element.Deserialize(parameter.ParameterType, JobSerializer.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new CommandException(
                $"The argument '{parameter.Name}' of {Signature(method)} must be a {TypeName(parameter.ParameterType)}; {element.GetRawText()} does not deserialize to it: {ex.Message}",
                ex);
        }
    }

    private static string Signature(MethodInfo method) =>
        $"{method.DeclaringType?.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => $"{TypeName(p.ParameterType)} {p.Name}"))})";

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    private static string Count(int count) => count switch
    {
        0 => "no arguments",
        1 => "1 argument",
        _ => $"{count} arguments",
    };
}
