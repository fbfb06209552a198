using System.Globalization;
using Jobs.Filters;

namespace Jobs;

/// <summary>
/// Limits how long the job's method may run: after the timeout its <see cref="CancellationToken"/> is
/// canceled, and however the method then ends, the attempt fails with a <see cref="JobTimeoutException"/>
/// (so automatic retries apply). Place it on the job's class or method; the method's wins.
/// </summary>
/// <remarks>The worker applies it; a cooperative job observes its token, a job that ignores it is failed when it returns.</remarks>
public sealed class JobTimeoutAttribute : JobFilterAttribute
{
    /// <param name="timeout">The timeout as <c>hh:mm:ss</c> (any invariant <see cref="TimeSpan"/> form), such as <c>"00:10:00"</c>.</param>
    public JobTimeoutAttribute(string timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeout);
        if (!TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var parsed))
        {
            throw new ArgumentException($"JobTimeout '{timeout}' is not a time span such as \"00:10:00\".", nameof(timeout));
        }

        Timeout = Positive(parsed, nameof(timeout));
    }

    /// <param name="timeoutInSeconds">The timeout in seconds.</param>
    public JobTimeoutAttribute(int timeoutInSeconds)
    {
        Timeout = Positive(TimeSpan.FromSeconds(timeoutInSeconds), nameof(timeoutInSeconds));
    }

    public TimeSpan Timeout { get; }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "JobTimeout must be positive.");
}
