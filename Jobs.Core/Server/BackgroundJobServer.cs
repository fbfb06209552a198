using Jobs.Filters;
using Jobs.Recurring;
using Jobs.Server;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs;

/// <summary>
/// A job server: announces itself to the storage, then runs the workers and their fetcher, the
/// delayed-job scheduler, the heartbeat, the watchdog, expiration, the held-jobs checker and every
/// <see cref="IBackgroundProcess"/> registered in DI. An <see cref="IHostedService"/> (see
/// <c>services.AddJobsServer()</c>), also usable by hand:
/// <c>await using var server = new BackgroundJobServer(options, storage); await server.StartAsync(ct);</c>
/// </summary>
/// <remarks>
/// Every loop survives storage failures: it logs, waits and tries again, and carries on by itself when
/// the storage comes back. On <see cref="StopAsync"/> fetching stops, running jobs get
/// <see cref="BackgroundJobServerOptions.ShutdownTimeout"/> to finish, then their tokens are canceled, and
/// every job the server still holds goes back to its queue.
/// </remarks>
public sealed class BackgroundJobServer : IHostedService, IAsyncDisposable
{
    private const int ShortIdLength = 8;

    private readonly BackgroundJobServerOptions _options;
    private readonly IJobStorage _storage;
    private readonly IServiceProvider _services;
    private readonly IJobFilterProvider _filters;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ServiceProvider? _ownedServices;
    private CancellationTokenSource? _stopping;
    private CancellationTokenSource? _lifetime;
    private CancellationTokenSource? _batcherAbort;
    private Task? _run;
    private Task? _stop;
    private JobDispatcher? _dispatcher;
    private CompletionBatcher? _batcher;
    private Task _batcherTask = Task.CompletedTask;
    private JobLogWriter? _jobLogs;
    private Task _jobLogsTask = Task.CompletedTask;
    private Task _processes = Task.CompletedTask;
    private Task _lifetimeProcesses = Task.CompletedTask;
    private volatile bool _announced;

    /// <param name="options">The server's settings; validated when it starts.</param>
    /// <param name="storage">Where the jobs live.</param>
    /// <param name="services">Resolves job types (a scope per job) and background processes; null: job types are created with their public constructors.</param>
    /// <param name="filters">The filters; null: the one registered in <paramref name="services"/>, else automatic retry only.</param>
    /// <param name="timeProvider">The clock; null: the one registered in <paramref name="services"/>, else the system clock.</param>
    /// <param name="loggerFactory">Logging; null: the one registered in <paramref name="services"/>, else none.</param>
    public BackgroundJobServer(
        BackgroundJobServerOptions options,
        IJobStorage storage,
        IServiceProvider? services = null,
        IJobFilterProvider? filters = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        _options = options;
        _storage = storage;
        _time = timeProvider ?? services?.GetService<TimeProvider>() ?? TimeProvider.System;
        if (services is null)
        {
            _ownedServices = new ServiceCollection().AddSingleton(_time).BuildServiceProvider();
            services = _ownedServices;
        }

        _services = services;
        _filters = filters ?? services.GetService<IJobFilterProvider>() ?? new JobFilterProvider([new AutomaticRetryAttribute()]);
        _loggerFactory = loggerFactory ?? services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<BackgroundJobServer>();
        var name = string.IsNullOrWhiteSpace(options.ServerName) ? "server" : options.ServerName;
        ServerId = $"{name}:{Guid.NewGuid().ToString("N")[..ShortIdLength]}";
    }

    /// <summary>The server's unique id: <see cref="BackgroundJobServerOptions.ServerName"/>, a colon and a short random suffix.</summary>
    public string ServerId { get; }

    /// <summary>First delay before retrying a failed start or restarting a failed background process (it grows on repeats).</summary>
    internal TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long, after canceling the jobs' tokens on shutdown, the server waits for them to end.</summary>
    internal TimeSpan AbortGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Validates the options and starts the server; connecting to the storage goes on in the background (retried while the storage is away).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        lock (_lock)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException($"Server {ServerId} was already started; create a new server to start again.");
            }

            _stopping = new CancellationTokenSource();
            _lifetime = new CancellationTokenSource();
            _batcherAbort = new CancellationTokenSource();
            ServerLog.ServerStarting(_logger, ServerId, _options.WorkerCount, string.Join(", ", _options.Queues));
            _run = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops fetching, lets running jobs finish within the shutdown timeout, cancels the rest and requeues every job still held.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_run is null)
            {
                return Task.CompletedTask;
            }

            return _stop ??= StopCoreAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _dispatcher?.Dispose();
        _stopping?.Dispose();
        _lifetime?.Dispose();
        _batcherAbort?.Dispose();
        if (_ownedServices is not null)
        {
            await _ownedServices.DisposeAsync();
        }
    }

    private async Task RunAsync()
    {
        var stopping = _stopping!.Token;
        var announcement = new ServerAnnouncement(ServerId, _options.WorkerCount, [.. _options.Queues], _time.GetUtcNow());
        var delay = RetryDelay;
        while (true)
        {
            try
            {
                await _storage.InitializeAsync(stopping);
                await _storage.AnnounceServerAsync(announcement, stopping);
                break;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ServerLog.StartupFailed(_logger, ex, ServerId, delay);
            }

            try
            {
                await Task.Delay(delay, _time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }

        var stateChanger = new BackgroundJobStateChanger(_storage, _filters, _services, _loggerFactory.CreateLogger<BackgroundJobStateChanger>());
        _batcher = new CompletionBatcher(stateChanger, _time, _logger, RetryDelay);
        _jobLogs = new JobLogWriter(_storage, _options.JobLog, _time, _logger);
        var performer = new JobPerformer(_storage, _filters, _services, ServerId, _time, _logger, _jobLogs);
        _dispatcher = new JobDispatcher(_storage, performer, _batcher, ServerId, _options, _time, _logger);
        _announced = true;

        var batcherAbort = _batcherAbort!.Token;
        _batcherTask = Task.Run(() => _batcher.RunAsync(batcherAbort), CancellationToken.None);
        var jobLogs = _jobLogs;
        _jobLogsTask = Task.Run(() => jobLogs.RunAsync(batcherAbort), CancellationToken.None);
        _dispatcher.Start(stopping);

        // The heartbeat and the held-jobs checker run until the very end of a shutdown, so no other
        // server's watchdog takes this one for dead while its jobs are finishing.
        var lifetimeContext = new BackgroundProcessContext(ServerId, _storage, _options, _time, _lifetime!.Token);
        _lifetimeProcesses = Task.WhenAll(
            Launch(new ServerHeartbeat(announcement, _logger), lifetimeContext),
            Launch(new HeldJobsChecker(_dispatcher, _logger), lifetimeContext));

        var context = new BackgroundProcessContext(ServerId, _storage, _options, _time, stopping);
        var processes = new List<Task>
        {
            Launch(new ServerWatchdog(_logger), context),
            Launch(new ExpirationManager(_logger), context),
        };
        if (_options.RunSchedulers)
        {
            processes.Add(Launch(new DelayedJobScheduler(_logger), context));
            processes.Add(Launch(new RecurringJobScheduler(_loggerFactory.CreateLogger<RecurringJobScheduler>(), filters: _filters, services: _services), context));
        }

        try
        {
            foreach (var process in _services.GetServices<IBackgroundProcess>())
            {
                // The server runs its own recurring scheduler (when RunSchedulers is on); one registered in DI would double it.
                if (process is not RecurringJobScheduler)
                {
                    processes.Add(Launch(process, context));
                }
            }
        }
        catch (Exception ex)
        {
            // A process that cannot be created must not keep the workers from running.
            ServerLog.ProcessResolutionFailed(_logger, ex, ServerId);
        }

        _processes = Task.WhenAll(processes);
    }

    private Task Launch(IBackgroundProcess process, BackgroundProcessContext context) =>
        Task.Run(() => ProcessRunner.RunAsync(process, context, RetryDelay, _logger), CancellationToken.None);

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await _stopping!.CancelAsync();
        await _run!; // never faults: startup failures are retried, process failures are logged
        if (!_announced)
        {
            return;
        }

        var dispatcher = _dispatcher!;
        var workers = Task.WhenAll(dispatcher.Fetcher, dispatcher.Workers);
        if (!await WaitAsync(workers, _options.ShutdownTimeout, cancellationToken))
        {
            ServerLog.AbortingJobs(_logger, ServerId, dispatcher.RunningCount, _options.ShutdownTimeout);
            dispatcher.AbortAll();
            await WaitAsync(workers, AbortGrace, cancellationToken);
        }

        // Outcomes (and log lines) of jobs that finished are stored before the server lets go of its jobs.
        _batcher!.Complete();
        _jobLogs!.Complete();
        var storing = Task.WhenAll(_batcherTask, _jobLogsTask);
        if (!await WaitAsync(storing, AbortGrace, cancellationToken))
        {
            await _batcherAbort!.CancelAsync();
            await WaitAsync(storing, AbortGrace, CancellationToken.None);
        }

        await WaitAsync(_processes, AbortGrace, cancellationToken);
        await _lifetime!.CancelAsync();
        await WaitAsync(_lifetimeProcesses, AbortGrace, cancellationToken);

        try
        {
            using var removal = new CancellationTokenSource(AbortGrace + AbortGrace, _time);
            var requeued = await _storage.RemoveServerAsync(ServerId, "Server shut down", removal.Token);
            ServerLog.ServerStopped(_logger, ServerId, requeued);
        }
        catch (Exception ex)
        {
            ServerLog.RemoveServerFailed(_logger, ex, ServerId);
        }
    }

    private async Task<bool> WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
