using Jobs.Tasks;

namespace Jobs.Server;

/// <summary>
/// At start, puts every recurring task of the catalog on the schedule (or takes a disabled one off),
/// so the task library and its <c>Tasks:&lt;id&gt;</c> configuration are the single source of truth.
/// </summary>
internal sealed class RecurringTaskRegistrar : IHostedService
{
    private readonly RecurringTaskCatalog _catalog;
    private readonly IRecurringJobManager _manager;
    private readonly ILogger<RecurringTaskRegistrar> _logger;

    public RecurringTaskRegistrar(RecurringTaskCatalog catalog, IRecurringJobManager manager, ILogger<RecurringTaskRegistrar> logger)
    {
        _catalog = catalog;
        _manager = manager;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Puts one task on the schedule (or updates it there) with its cron, time zone and queue.</summary>
    public static Task RegisterAsync(IRecurringJobManager manager, RecurringTaskDefinition task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(task);
        var options = new RecurringJobOptions { TimeZoneId = task.TimeZoneId, Queue = task.Queue };
        return manager.AddOrUpdateAsync(task.Id, task.ToJob(), task.Cron, options, cancellationToken);
    }
}
