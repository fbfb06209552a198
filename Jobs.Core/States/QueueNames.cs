using System.Text.RegularExpressions;

namespace Jobs.States;

/// <summary>Queue names are lower-case letters, digits, underscores and dashes, as Hangfire requires.</summary>
public static partial class QueueNames
{
    public static string Validate(string queue)
    {
        if (string.IsNullOrWhiteSpace(queue) || queue.Length > 50 || !ValidName().IsMatch(queue))
        {
            throw new ArgumentException(
                $"Queue name '{queue}' is invalid: use 1 to 50 lower-case letters, digits, '_' or '-'.",
                nameof(queue));
        }

        return queue;
    }

    [GeneratedRegex("^[a-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
