using System.Diagnostics.CodeAnalysis;
using Jobs.Storage;
using Microsoft.Extensions.Primitives;

namespace Jobs.Dashboard;

/// <summary>
/// The filter of the Failed list as it travels in a query string or a form (<c>method</c>, <c>exception</c>,
/// <c>queue</c>), validated so a bad value is a clear message rather than an exception or a silent no-match.
/// </summary>
internal static class FailedJobFilterRequest
{
    public const string MethodField = "method";
    public const string ExceptionField = "exception";
    public const string QueueField = "queue";

    /// <param name="get">Reads a field of the query string or the form.</param>
    public static bool TryParse(Func<string, StringValues> get, out FailedJobFilter filter, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(get);
        filter = FailedJobFilter.None;
        foreach (var field in new[] { MethodField, ExceptionField, QueueField })
        {
            if (get(field).Count > 1)
            {
                error = $"The '{field}' filter is given {get(field).Count} times; give it once.";
                return false;
            }
        }

        if (!FailedJobFilter.TryCreate(get(MethodField), get(ExceptionField), get(QueueField), out filter, out var message))
        {
            error = message;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The filter as query string parameters, each starting with '&amp;' (empty for no filter), for links that keep it.</summary>
    public static string ToQuery(FailedJobFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = string.Empty;
        if (filter.Method is not null)
        {
            query += $"&{MethodField}={Uri.EscapeDataString(filter.Method)}";
        }

        if (filter.ExceptionType is not null)
        {
            query += $"&{ExceptionField}={Uri.EscapeDataString(filter.ExceptionType)}";
        }

        if (filter.Queue is not null)
        {
            query += $"&{QueueField}={Uri.EscapeDataString(filter.Queue)}";
        }

        return query;
    }
}
