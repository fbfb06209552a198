using System.Reflection;

namespace Jobs;

/// <summary>
/// A method call to perform in the background: the type whose instance (or static method) runs it,
/// the method, and the argument values. Built from an expression by the client; rebuilt from
/// <see cref="Common.InvocationData"/> by the worker.
/// </summary>
public sealed class Job
{
    public Job(Type type, MethodInfo method, IReadOnlyList<object?> args, string? queue = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(args);
        if (method.GetParameters().Length != args.Count)
        {
            throw new ArgumentException(
                $"Method '{method.Name}' takes {method.GetParameters().Length} argument(s), but {args.Count} were given.",
                nameof(args));
        }

        Type = type;
        Method = method;
        Args = args;
        Queue = queue;
    }

    /// <summary>The type that is resolved from the job's DI scope (or that holds the static method).</summary>
    public Type Type { get; }

    public MethodInfo Method { get; }

    public IReadOnlyList<object?> Args { get; }

    /// <summary>The queue given explicitly by the caller, or null to use <c>[Queue]</c> or "default".</summary>
    public string? Queue { get; }

    public override string ToString() => $"{Type.Name}.{Method.Name}";
}
