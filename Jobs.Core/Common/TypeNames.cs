using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Jobs.Common;

/// <summary>
/// Type names without assembly versions, culture or public key, so a job stored by one build runs
/// on the next. Generic arguments are written the same way.
/// </summary>
public static class TypeNames
{
    private static readonly ConcurrentDictionary<string, Type?> Cache = new(StringComparer.Ordinal);

    public static string Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    public static Type? Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Cache.GetOrAdd(name, static n => Type.GetType(
            n,
            assemblyResolver: LoadAssembly,
            typeResolver: static (assembly, typeName, ignoreCase) =>
                assembly?.GetType(typeName, throwOnError: false, ignoreCase) ?? Type.GetType(typeName, throwOnError: false, ignoreCase),
            throwOnError: false));
    }

    /// <summary>The type's name without namespace or assembly, for display.</summary>
    public static string ShortName(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var end = typeName.IndexOfAny([',', '[']);
        var fullName = end < 0 ? typeName : typeName[..end];
        var lastDot = fullName.LastIndexOfAny(['.', '+']);
        return lastDot < 0 ? fullName : fullName[(lastDot + 1)..];
    }

    private static Assembly? LoadAssembly(AssemblyName name)
    {
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(loaded.GetName().Name, name.Name, StringComparison.Ordinal))
            {
                return loaded;
            }
        }

        try
        {
            return Assembly.Load(new AssemblyName(name.Name!));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }

    private static void Append(StringBuilder builder, Type type)
    {
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            var definition = type.GetGenericTypeDefinition();
            builder.Append(definition.FullName).Append('[');
            var arguments = type.GetGenericArguments();
            for (var i = 0; i < arguments.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                builder.Append('[');
                Append(builder, arguments[i]);
                builder.Append(']');
            }

            builder.Append("], ").Append(definition.Assembly.GetName().Name);
            return;
        }

        builder.Append(type.FullName ?? type.Name).Append(", ").Append(type.Assembly.GetName().Name);
    }
}
