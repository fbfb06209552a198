using Jobs.Tasks;

namespace Jobs.Server;

/// <summary>
/// Puts every recurring task of the catalog on the schedule (or takes a disabled one off), so the task library and its
/// <c>Tasks:&lt;id&gt;</c> configuration are the single source of truth. Runs in the background, so the host starts while
/// the storage is unreachable: a failed pass is logged and tried again with a growing delay until one succeeds.
/// </summary>
internal sealed class RecurringTaskRegistrar : BackgroundService
{
    private readonly RecurringTaskCatalog _catalog;
    private readonly IRecurringJobManager _manager;
    private readonly TimeProvider _time;
    private readonly ILogger<RecurringTaskRegistrar> _logger;

    public RecurringTaskRegistrar(RecurringTaskCatalog catalog, IRecurringJobManager manager, ILogger<RecurringTaskRegistrar> logger, TimeProvider? timeProvider = null)
    {
        _catalog = catalog;
        _manager = manager;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The delay after the first failed pass; it doubles after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    internal TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    internal TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Puts one task on the schedule (or updates it there) with its cron, time zone and queue.</summary>
    public static Task RegisterAsync(IRecurringJobManager manager, RecurringTaskDefinition task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(task);
        var options = new RecurringJobOptions { TimeZoneId = task.TimeZoneId, Queue = task.Queue };
        return manager.AddOrUpdateAsync(task.Id, task.ToJob(), task.Cron, options, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await RegisterAllAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Storage failures were already retried by the storage (its own resilience window); say why in one line.
                JobsHostLog.TaskRegistrationFailed(_logger, Describe(ex), delay);
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>One pass over the catalog; tasks done in an earlier, failed pass are simply written again (add-or-update).</summary>
    private async Task RegisterAllAsync(CancellationToken cancellationToken)
    {
        foreach (var task in _catalog.Definitions)
        {
            if (!task.Enabled)
            {
                await _manager.RemoveIfExistsAsync(task.Id, cancellationToken);
                JobsHostLog.TaskDisabled(_logger, task.Id);
                continue;
            }

            await RegisterAsync(_manager, task, cancellationToken);
            JobsHostLog.TaskRegistered(_logger, task.Id, task.Cron, task.TimeZoneId, task.Queue);
        }
    }

    /// <summary>The exception's type and messages with their inner ones, without repeats.</summary>
    internal static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }
        }

        return $"{exception.GetType().Name}: {string.Join(" (", messages)}{new string(')', Math.Max(0, messages.Count - 1))}";
    }
}
