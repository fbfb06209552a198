using Jobs.PostgreSql;
using Jobs.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Jobs.Server.Health;

/// <summary>
/// Readiness of the job storage: for PostgreSQL, the database answers and its schema holds every migration this
/// server needs; the in-memory storage lives in the process and is always ready.
/// </summary>
internal sealed class JobsStorageHealthCheck : IHealthCheck
{
    /// <summary>A database that has not answered by then counts as unreachable.</summary>
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly IJobStorage _storage;

    public JobsStorageHealthCheck(IJobStorage storage)
    {
        _storage = storage;
    }

    internal TimeSpan Timeout { get; init; } = DefaultTimeout;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_storage is not PostgreSqlJobStorage postgreSql)
        {
            return HealthCheckResult.Healthy($"{_storage.GetType().Name} keeps the jobs in this process; it is always ready.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        PostgreSqlSchemaStatus status;
        try
        {
            status = await postgreSql.GetSchemaStatusAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL did not answer within {Timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL is unreachable: {Describe(ex)}", ex);
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["schema"] = status.Schema,
            ["appliedVersion"] = status.AppliedVersion ?? 0,
            ["requiredVersion"] = status.RequiredVersion,
        };
        return status.IsCurrent
            ? HealthCheckResult.Healthy(status.Description, data)
            : new HealthCheckResult(context.Registration.FailureStatus, status.Description, data: data);
    }

    /// <summary>The exception's message with its inner ones ("Failed to connect to 127.0.0.1:1 (Connection refused)").</summary>
    private static string Describe(Exception exception)
    {
        var message = exception.Message.TrimEnd('.');
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += $" ({inner.Message.TrimEnd('.')})";
            }
        }

        return message + ".";
    }
}
