using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Jobs.Common;

/// <summary>
/// Turns a lambda such as <c>t => t.Build(42)</c> into a <see cref="Job"/>, evaluating the arguments
/// now. Everything a worker could not perform later is refused here, at the caller, with a message
/// that names the problem.
/// </summary>
public static class JobExpression
{
    /// <summary>Parses <c>x => x.Method(args)</c> for an instance of <paramref name="type"/>, or a static call.</summary>
    public static Job Parse(LambdaExpression expression, Type? type, string? queue = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Body is not MethodCallExpression call)
        {
            throw new ArgumentException(
                $"The expression '{expression}' must be a single method call, such as 'x => x.Run(42)'; got a {expression.Body.NodeType} expression.",
                nameof(expression));
        }

        var method = call.Method;
        Type jobType;
        if (method.IsStatic)
        {
            jobType = method.DeclaringType!;
        }
        else
        {
            if (type is null)
            {
                throw new ArgumentException(
                    $"'{method.Name}' is an instance method: use the generic form, such as Enqueue<{method.DeclaringType?.Name}>(x => x.{method.Name}(…)), so the worker knows which type to create.",
                    nameof(expression));
            }

            if (!IsParameter(call.Object, expression.Parameters))
            {
                throw new ArgumentException(
                    $"The method '{method.Name}' must be called on the lambda's parameter (x => x.{method.Name}(…)), not on another object: '{expression}'.",
                    nameof(expression));
            }

            jobType = type;
        }

        Validate(method, jobType);
        var parameters = method.GetParameters();
        var args = new object?[call.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Evaluate(call.Arguments[i], parameters[i], method);
        }

        return new Job(jobType, method, args, queue);
    }

    private static void Validate(MethodInfo method, Type jobType)
    {
        if (!method.IsPublic)
        {
            throw new NotSupportedException($"Method '{jobType.Name}.{method.Name}' must be public to be performed by a worker.");
        }

        if (method.ContainsGenericParameters || method.IsGenericMethod)
        {
            throw new NotSupportedException($"Method '{jobType.Name}.{method.Name}' is generic; generic methods are not supported as jobs. Wrap the call in a non-generic method.");
        }

        if (jobType.ContainsGenericParameters)
        {
            throw new NotSupportedException($"Type '{jobType.Name}' has open generic parameters and cannot be created by a worker.");
        }

        if (method.ReturnType == typeof(void) && method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null)
        {
            throw new NotSupportedException($"Method '{jobType.Name}.{method.Name}' is 'async void': its completion cannot be awaited. Return Task instead.");
        }

        foreach (var parameter in method.GetParameters())
        {
            if (parameter.IsOut || parameter.ParameterType.IsByRef)
            {
                throw new NotSupportedException(
                    $"Parameter '{parameter.Name}' of '{jobType.Name}.{method.Name}' is passed by reference (ref, out or in); job arguments must be passed by value.");
            }

            if (parameter.ParameterType.IsPointer || parameter.ParameterType.IsByRefLike)
            {
                throw new NotSupportedException(
                    $"Parameter '{parameter.Name}' of '{jobType.Name}.{method.Name}' has type {parameter.ParameterType.Name}, which cannot be stored.");
            }
        }
    }

    private static object? Evaluate(Expression argument, ParameterInfo parameter, MethodInfo method)
    {
        object? value;
        try
        {
            value = argument switch
            {
                ConstantExpression constant => constant.Value,
                MemberExpression { Expression: ConstantExpression closure, Member: FieldInfo field } => field.GetValue(closure.Value),
                _ => Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile(preferInterpretation: true)(),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException(
                $"Argument '{parameter.Name}' of '{method.Name}' could not be evaluated ('{argument}'): arguments may not use the lambda's parameter. {ex.Message}",
                ex);
        }

        if (parameter.ParameterType == typeof(CancellationToken) && value is CancellationToken token && token.CanBeCanceled)
        {
            throw new ArgumentException(
                $"Argument '{parameter.Name}' of '{method.Name}' is a live CancellationToken; pass CancellationToken.None (or default) as a placeholder — the worker passes the job's own token.");
        }

        if (parameter.ParameterType == typeof(PerformContext) && value is not null)
        {
            throw new ArgumentException(
                $"Argument '{parameter.Name}' of '{method.Name}' is a {nameof(PerformContext)}; pass null as a placeholder — the worker passes the job's own context.");
        }

        return value;
    }

    private static bool IsParameter(Expression? target, IReadOnlyCollection<ParameterExpression> parameters)
    {
        while (target is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } unary)
        {
            target = unary.Operand;
        }

        return target is ParameterExpression parameter && parameters.Contains(parameter);
    }
}
