using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Jobs.PostgreSql;

/// <summary>The retry pipeline every storage operation runs through, so a PostgreSQL restart is ridden out.</summary>
internal static class PostgreSqlResilience
{
    public static ResiliencePipeline Create(PostgreSqlStorageOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.TransientRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = options.TransientRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.TransientRetryBaseDelay,
                MaxDelay = options.TransientRetryMaxDelay,
                OnRetry = args =>
                {
                    Log.RetryingAfterTransientFailure(logger, args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome.Exception));
                    return default;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>The exception's type and message with its inner ones ("NpgsqlException: Failed to connect to 127.0.0.1:5432 (Connection refused)").</summary>
    internal static string Describe(Exception? exception)
    {
        if (exception is null)
        {
            return "no exception";
        }

        var message = exception.Message.TrimEnd('.');
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal))
            {
                message += $" ({inner.Message.TrimEnd('.')})";
            }
        }

        return $"{exception.GetType().Name}: {message}";
    }

    /// <summary>
    /// Failures worth another try: the connection broke or could not be made, the server is shutting down or
    /// starting, or the transaction was rolled back by a deadlock or serialization failure.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is "57P01" or "57P02" or "57P03"
            || pg.SqlState is "40001" or "40P01", // serialization failure, deadlock: the transaction was rolled back whole
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException => true,
        _ => false,
    };
}
