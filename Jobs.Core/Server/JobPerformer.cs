using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Jobs.Common;
using Jobs.Filters;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// Performs one fetched job: loads it, resolves its type in a DI scope of its own, runs the server
/// filters around the method, awaits it, and turns the outcome into the state to elect
/// (Succeeded with result, latency and duration, or Failed). Never throws for a job's failure.
/// </summary>
internal sealed class JobPerformer
{
    private static readonly string[] ExpectedProcessing = [ProcessingState.StateName];
    private static readonly ConcurrentDictionary<Type, Func<object, Task>?> AsTaskCache = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo> ResultCache = new();

    private readonly IJobStorage _storage;
    private readonly IJobFilterProvider _filters;
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory? _scopeFactory;
    private readonly string _serverId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JobLogWriter? _jobLogs;

    public JobPerformer(IJobStorage storage, IJobFilterProvider filters, IServiceProvider services, string serverId, TimeProvider time, ILogger logger, JobLogWriter? jobLogs = null)
    {
        _jobLogs = jobLogs;
        _storage = storage;
        _filters = filters;
        _services = services;
        _scopeFactory = services.GetService<IServiceScopeFactory>();
        _serverId = serverId;
        _time = time;
        _logger = logger;
    }

    /// <summary>Returns the outcome to store, or null when the job was interrupted (shutdown, deletion) and is left as it is.</summary>
    public async Task<StateChangeRequest?> PerformAsync(FetchedJob fetched, RunningJob running)
    {
        Job job;
        try
        {
            job = fetched.Invocation.Deserialize();
        }
        catch (JobLoadException ex)
        {
            ServerLog.JobLoadFailed(_logger, ex, fetched.Id, fetched.Invocation.DisplayName);
            return Outcome(fetched, null, new FailedState(ex, $"The job could not be loaded: {ex.Message}") { ServerId = _serverId });
        }

        // The job formats as "Type.Method", only when the message is logged.
        var method = job;
        ServerLog.JobStarted(_logger, fetched.Id, method);

        // From here on, what the job (and its filters) log lands in its log; the caller's context is left as it was.
        var log = _jobLogs?.Begin(fetched.Id, running.Token);
        JobLog.Current = log;
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        object? result = null;
        Exception? exception;
        string? skippedBy = null;
        try
        {
            var scope = _scopeFactory?.CreateAsyncScope();
            try
            {
                (result, exception, skippedBy) = await RunAsync(fetched, job, scope?.ServiceProvider ?? _services, running);
            }
            finally
            {
                if (scope is { } created)
                {
                    await created.DisposeAsync();
                }
            }
        }
        catch (Exception ex)
        {
            // Scope creation or disposal failed: the attempt failed, the worker carries on.
            exception = ex;
        }

        var duration = _time.GetElapsedTime(started);
        if (log is not null)
        {
            // Every line is stored before the job's final state, so a finished job's page shows them all.
            await log.EndAsync();
        }

        if (running.TimedOut)
        {
            exception = new JobTimeoutException(FindTimeout(job) ?? duration, exception);
        }
        else if (running.Reason != JobAbortReason.None && exception is not null)
        {
            ServerLog.JobInterrupted(_logger, fetched.Id, method, running.Reason);
            return null;
        }

        if (exception is not null)
        {
            ServerLog.JobFailed(_logger, exception, fetched.Id, method);
            return Outcome(fetched, job, new FailedState(exception, $"An exception occurred during performance of the job: {exception.Message}") { ServerId = _serverId });
        }

        if (skippedBy is not null)
        {
            ServerLog.JobSkipped(_logger, fetched.Id, method, skippedBy);
        }
        else
        {
            ServerLog.JobSucceeded(_logger, fetched.Id, method, duration);
        }

        var latency = startedAt - fetched.EnqueuedAt;
        var state = new SucceededState(
            SerializeResult(result),
            latency < TimeSpan.Zero ? TimeSpan.Zero : latency,
            duration,
            skippedBy is null ? null : $"Performance was canceled by the server filter {skippedBy}");
        return Outcome(fetched, job, state);
    }

    private StateChangeRequest Outcome(FetchedJob fetched, Job? job, IState state) =>
        new(fetched.Id, fetched.Invocation, job, ProcessingState.StateName, state, ExpectedProcessing, fetched.RetryCount)
        {
            ExpectedServerId = _serverId,
        };

    private async Task<(object? Result, Exception? Exception, string? SkippedBy)> RunAsync(FetchedJob fetched, Job job, IServiceProvider services, RunningJob running)
    {
        var filters = _filters.GetFilters(job);
        var timeout = FindTimeout(filters);
        if (!HasServerFilter(filters))
        {
            try
            {
                return (await InvokeAsync(job, services, running, timeout), null, null);
            }
            catch (Exception ex)
            {
                return (null, ex, null);
            }
        }

        var performing = new PerformingContext(_storage, services, fetched, job, _serverId, running.Token);
        var ran = -1;
        Exception? exception = null;
        object? result = null;
        string? skippedBy = null;
        for (var i = 0; i < filters.Count; i++)
        {
            if (filters[i] is not IServerFilter filter)
            {
                continue;
            }

            try
            {
                await filter.OnPerformingAsync(performing);
            }
            catch (Exception ex)
            {
                exception = ex;
                break;
            }

            ran = i;
            if (performing.Canceled)
            {
                skippedBy = filter.GetType().Name;
                break;
            }
        }

        var started = _time.GetTimestamp();
        if (exception is null && skippedBy is null)
        {
            try
            {
                result = await InvokeAsync(job, services, running, timeout);
            }
            catch (Exception ex)
            {
                exception = ex;
            }
        }

        var performed = new PerformedContext(performing, result, exception, _time.GetElapsedTime(started));
        for (var i = ran; i >= 0; i--)
        {
            if (filters[i] is not IServerFilter filter)
            {
                continue;
            }

            try
            {
                await filter.OnPerformedAsync(performed);
            }
            catch (Exception ex)
            {
                performed.Exception = ex;
                performed.ExceptionHandled = false;
            }
        }

        return (result, performed.ExceptionHandled ? null : performed.Exception, skippedBy);
    }

    private static async Task<object?> InvokeAsync(Job job, IServiceProvider services, RunningJob running, TimeSpan? timeout)
    {
        object? instance = null;
        var owned = false;
        if (!job.Method.IsStatic)
        {
            instance = services.GetService(job.Type);
            if (instance is null)
            {
                instance = ActivatorUtilities.CreateInstance(services, job.Type);
                owned = true;
            }
        }

        try
        {
            var args = PrepareArguments(job, running.Token);
            if (timeout is { } limit)
            {
                running.StartTimeout(limit);
            }

            object? returned;
            try
            {
                returned = job.Method.Invoke(instance, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }

            return await UnwrapAsync(job.Method.ReturnType, returned);
        }
        finally
        {
            running.StopTimeout();
            if (owned)
            {
                switch (instance)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync();
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
        }
    }

    private static object?[] PrepareArguments(Job job, CancellationToken token)
    {
        var args = job.Args as object?[] ?? job.Args.ToArray();
        var parameters = job.Method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType == typeof(CancellationToken))
            {
                args[i] = token;
            }
            else if (parameters[i].ParameterType == typeof(PerformContext))
            {
                args[i] = JobLog.Current ?? throw new InvalidOperationException($"Job {job} takes a {nameof(PerformContext)}, but this worker performs it without one.");
            }
        }

        return args;
    }

    private static async Task<object?> UnwrapAsync(Type returnType, object? returned)
    {
        switch (returned)
        {
            case null:
                return null;
            case Task task:
                await task;
                return returnType.IsGenericType ? ResultOf(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = AsTaskCache.GetOrAdd(returnType, static t => CreateAsTask(t))!;
            var task = asTask(returned);
            await task;
            return ResultOf(task);
        }

        return returned;
    }

    private static object? ResultOf(Task task) =>
        ResultCache.GetOrAdd(task.GetType(), static t => t.GetProperty(nameof(Task<object>.Result))!).GetValue(task);

    private static Func<object, Task>? CreateAsTask(Type valueTaskType)
    {
        var asTask = valueTaskType.GetMethod(nameof(ValueTask<object>.AsTask), Type.EmptyTypes)!;
        return value => (Task)asTask.Invoke(value, null)!;
    }

    private static string? SerializeResult(object? result)
    {
        if (result is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Serialize(result, result.GetType(), JobSerializer.Options);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return JsonSerializer.Serialize($"The result of type {result.GetType().Name} could not be serialized: {ex.Message}", JobSerializer.Options);
        }
    }

    private static bool HasServerFilter(IReadOnlyList<object> filters)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            if (filters[i] is IServerFilter)
            {
                return true;
            }
        }

        return false;
    }

    private static TimeSpan? FindTimeout(IReadOnlyList<object> filters)
    {
        for (var i = filters.Count - 1; i >= 0; i--)
        {
            if (filters[i] is JobTimeoutAttribute attribute)
            {
                return attribute.Timeout;
            }
        }

        return null;
    }

    private TimeSpan? FindTimeout(Job job) => FindTimeout(_filters.GetFilters(job));
}
