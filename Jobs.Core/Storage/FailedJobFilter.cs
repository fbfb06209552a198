using Jobs.Common;
using Jobs.States;

namespace Jobs.Storage;

/// <summary>
/// Narrows the failed jobs: every part given must match. Text parts match anywhere, ignoring case. Callers validate
/// the values (the dashboard does, with <see cref="TryCreate"/>); storages only apply them.
/// </summary>
/// <param name="Method">Text in the job's type and method as the lists show them, such as <c>ReportTask.Build</c>.</param>
/// <param name="ExceptionType">Text in the full name of the exception the job failed with, such as <c>TimeoutException</c>.</param>
/// <param name="Queue">The queue the job was in, exactly.</param>
public sealed record FailedJobFilter(string? Method = null, string? ExceptionType = null, string? Queue = null)
{
    /// <summary>The longest text a filter part takes.</summary>
    public const int MaxTextLength = 200;

    /// <summary>No filter: every failed job.</summary>
    public static FailedJobFilter None { get; } = new();

    /// <summary>True when nothing narrows the list.</summary>
    public bool IsEmpty => Method is null && ExceptionType is null && Queue is null;

    /// <summary>
    /// Builds a filter from what an operator typed (blank parts are left out, text is trimmed), or says in
    /// <paramref name="error"/> which part is wrong and why.
    /// </summary>
    public static bool TryCreate(string? method, string? exceptionType, string? queue, out FailedJobFilter filter, out string error)
    {
        filter = None;
        if (!TryText("method", method, out var m, out error) || !TryText("exception", exceptionType, out var e, out error))
        {
            return false;
        }

        var q = string.IsNullOrWhiteSpace(queue) ? null : queue.Trim();
        if (q is not null)
        {
            try
            {
                QueueNames.Validate(q);
            }
            catch (ArgumentException)
            {
                error = $"'{Shorten(q)}' is not a queue name: use 1 to 50 lower-case letters, digits, '_' or '-'.";
                return false;
            }
        }

        filter = new FailedJobFilter(m, e, q);
        error = string.Empty;
        return true;
    }

    /// <summary>Whether a failed job with this type, method, queue and state data matches; the in-memory storage's rule, which SQL mirrors.</summary>
    public bool Matches(string type, string method, string queue, IReadOnlyDictionary<string, string> stateData)
    {
        ArgumentNullException.ThrowIfNull(stateData);
        if (Method is not null && !$"{TypeNames.ShortName(type)}.{method}".Contains(Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (ExceptionType is not null
            && !(stateData.TryGetValue("ExceptionType", out var exception) && exception.Contains(ExceptionType, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return Queue is null || string.Equals(Queue, queue, StringComparison.Ordinal);
    }

    private static bool TryText(string name, string? value, out string? text, out string error)
    {
        text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        error = string.Empty;
        if (text is null)
        {
            return true;
        }

        if (text.Length > MaxTextLength)
        {
            error = $"The {name} filter is {text.Length} characters long; at most {MaxTextLength} are allowed.";
            return false;
        }

        if (text.Any(char.IsControl))
        {
            error = $"The {name} filter contains a control character (such as a line break); give plain text.";
            return false;
        }

        return true;
    }

    private static string Shorten(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 60), "…") : text;
}
