using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// Copies what code logs through any <see cref="ILogger"/> while it runs for a job into that job's log
/// (<see cref="JobLog.Current"/>): the message formatted, an exception's type and message appended. Outside jobs it
/// writes nothing. Registered by <c>AddJobsServer</c>; <see cref="JobLogOptions.MinimumLevel"/> decides what is kept.
/// </summary>
[ProviderAlias("JobLog")]
internal sealed class JobLogLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => JobLogLogger.Instance;

    public void Dispose()
    {
        // Holds nothing: the lines belong to the jobs' logs.
    }

    private sealed class JobLogLogger : ILogger
    {
        public static readonly JobLogLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => JobLog.Current is { } log && log.Accepts(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (JobLog.Current is not { } log || !log.Accepts(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = string.IsNullOrEmpty(message)
                    ? $"{exception.GetType().FullName}: {exception.Message}"
                    : $"{message} — {exception.GetType().FullName}: {exception.Message}";
            }

            log.WriteLine(logLevel, message);
        }
    }
}
