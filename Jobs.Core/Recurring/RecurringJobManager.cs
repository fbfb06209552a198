using Jobs.Common;
using Jobs.Filters;
using Jobs.Recurring;
using Jobs.States;
using Jobs.Storage;

namespace Jobs;

/// <summary>
/// Creates, changes, triggers, pauses and removes recurring jobs in the storage. Everything a
/// scheduler could not run later (bad id, cron, time zone, queue, arguments) is refused here, at the
/// caller, with a message that names the problem.
/// </summary>
public sealed class RecurringJobManager : IRecurringJobManager
{
    /// <summary>The longest recurring job id accepted.</summary>
    public const int MaxIdLength = 100;

    /// <summary>The reason stored on the Enqueued state of a run started by <see cref="TriggerAsync"/>.</summary>
    public const string TriggeredReason = "Triggered";

    private readonly IJobStorage _storage;
    private readonly TimeProvider _time;
    private readonly ClientFilterPipeline _clientFilters;

    public RecurringJobManager(IJobStorage storage, TimeProvider? timeProvider = null)
        : this(storage, filters: null, timeProvider)
    {
    }

    /// <param name="storage">Where recurring jobs are kept.</param>
    /// <param name="filters">The filters whose client half runs around <see cref="TriggerAsync"/>, as for any job; none when null.</param>
    /// <param name="timeProvider">The clock next runs are computed from. Default: the system clock.</param>
    /// <param name="services">The provider handed to client filters.</param>
    public RecurringJobManager(IJobStorage storage, IJobFilterProvider? filters, TimeProvider? timeProvider = null, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _time = timeProvider ?? TimeProvider.System;
        _clientFilters = new ClientFilterPipeline(filters, services);
    }

    public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions? options = null) =>
        AddOrUpdateAsync(recurringJobId, job, cronExpression, options, CancellationToken.None).GetAwaiter().GetResult();

    public async Task AddOrUpdateAsync(string recurringJobId, Job job, string cronExpression, RecurringJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var definition = CreateDefinition(recurringJobId, job, cronExpression, options, _time.GetUtcNow());
        await _storage.AddOrUpdateRecurringJobAsync(definition, cancellationToken);
    }

    public bool Reschedule(string recurringJobId, string cronExpression, string? timeZoneId = null) =>
        RescheduleAsync(recurringJobId, cronExpression, timeZoneId, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<bool> RescheduleAsync(string recurringJobId, string cronExpression, string? timeZoneId = null, CancellationToken cancellationToken = default)
    {
        ValidateId(recurringJobId);
        ArgumentNullException.ThrowIfNull(cronExpression);
        var schedule = CronSchedule.Parse(cronExpression);
        var zone = timeZoneId is null ? null : TimeZoneResolver.Resolve(timeZoneId);
        var record = await _storage.GetRecurringJobAsync(recurringJobId, cancellationToken);
        if (record is null)
        {
            return false;
        }

        zone ??= TimeZoneResolver.Resolve(record.TimeZoneId);
        var definition = new RecurringJobDefinition(
            record.Id,
            record.Invocation,
            schedule.Expression,
            TimeZoneResolver.GetStableId(zone),
            record.Queue,
            schedule.GetNextOccurrence(_time.GetUtcNow(), zone)?.ToUniversalTime())
        {
            Misfire = record.Misfire,
            AllowOverlap = record.AllowOverlap,
        };
        await _storage.AddOrUpdateRecurringJobAsync(definition, cancellationToken);
        return true;
    }

    public bool RemoveIfExists(string recurringJobId) =>
        RemoveIfExistsAsync(recurringJobId, CancellationToken.None).GetAwaiter().GetResult();

    public Task<bool> RemoveIfExistsAsync(string recurringJobId, CancellationToken cancellationToken = default)
    {
        ValidateId(recurringJobId);
        return _storage.RemoveRecurringJobAsync(recurringJobId, cancellationToken);
    }

    public string? Trigger(string recurringJobId) =>
        TriggerAsync(recurringJobId, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<string?> TriggerAsync(string recurringJobId, CancellationToken cancellationToken = default)
    {
        ValidateId(recurringJobId);
        var record = await _storage.GetRecurringJobAsync(recurringJobId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        IState state = new EnqueuedState(record.Queue, TriggeredReason);
        Job job;
        try
        {
            job = record.Invocation.Deserialize();
        }
        catch (JobLoadException)
        {
            // Created anyway: the run fails with the load error where operators see it.
            return await _storage.CreateJobAsync(new NewJob(record.Invocation, record.Queue, state) { RecurringJobId = record.Id }, cancellationToken);
        }

        var run = await _clientFilters.CreatingAsync(_storage, job, state);
        if (run.CanceledBy is { } filter)
        {
            await _clientFilters.CreatedAsync(_storage, run, jobId: null);
            throw new JobCreationCanceledException($"Triggering recurring job '{record.Id}' was canceled by the client filter {filter}.");
        }

        var newJob = new NewJob(record.Invocation, ClientFilterPipeline.QueueFor(run.State, record.Queue), run.State) { RecurringJobId = record.Id };
        var jobId = await _storage.CreateJobAsync(newJob, cancellationToken);
        await _clientFilters.CreatedAsync(_storage, run, jobId);
        return jobId;
    }

    public bool Pause(string recurringJobId) =>
        PauseAsync(recurringJobId, CancellationToken.None).GetAwaiter().GetResult();

    public Task<bool> PauseAsync(string recurringJobId, CancellationToken cancellationToken = default)
    {
        ValidateId(recurringJobId);
        return _storage.SetRecurringJobPausedAsync(recurringJobId, paused: true, nextExecution: null, cancellationToken);
    }

    public bool Resume(string recurringJobId) =>
        ResumeAsync(recurringJobId, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<bool> ResumeAsync(string recurringJobId, CancellationToken cancellationToken = default)
    {
        ValidateId(recurringJobId);
        var record = await _storage.GetRecurringJobAsync(recurringJobId, cancellationToken);
        if (record is null)
        {
            return false;
        }

        if (!record.Paused)
        {
            return true; // already running: keep its next run (it may be due right now)
        }

        // No catch-up for the paused time: the schedule restarts from now.
        var next = CronSchedule.Parse(record.Cron).GetNextOccurrence(_time.GetUtcNow(), TimeZoneResolver.Resolve(record.TimeZoneId))?.ToUniversalTime();
        return await _storage.SetRecurringJobPausedAsync(recurringJobId, paused: false, next, cancellationToken);
    }

    /// <summary>Validates everything and builds what the storage keeps; the next run is the first occurrence after <paramref name="now"/>.</summary>
    internal static RecurringJobDefinition CreateDefinition(string recurringJobId, Job job, string cronExpression, RecurringJobOptions? options, DateTimeOffset now)
    {
        ValidateId(recurringJobId);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(cronExpression);
        options ??= new RecurringJobOptions();

        var schedule = CronSchedule.Parse(cronExpression);
        var zone = options.TimeZoneId is { } id ? TimeZoneResolver.Resolve(id) : options.TimeZone;
        var zoneId = TimeZoneResolver.GetStableId(zone);
        if (!TimeZoneResolver.TryResolve(zoneId, out _))
        {
            throw new ArgumentException(
                $"Time zone '{zone.Id}' is not a system time zone, so servers could not find it by id; use one of TimeZoneInfo.GetSystemTimeZones().",
                nameof(options));
        }

        if (!Enum.IsDefined(options.MisfireHandling))
        {
            throw new ArgumentException($"MisfireHandling {(int)options.MisfireHandling} is not a defined value.", nameof(options));
        }

        var queue = options.Queue is { } named ? QueueNames.Validate(named) : BackgroundJobClient.ResolveQueue(job);
        return new RecurringJobDefinition(
            recurringJobId,
            InvocationData.Serialize(job),
            schedule.Expression,
            zoneId,
            queue,
            schedule.GetNextOccurrence(now, zone)?.ToUniversalTime())
        {
            Misfire = options.MisfireHandling,
            AllowOverlap = options.AllowOverlap,
        };
    }

    internal static void ValidateId(string recurringJobId)
    {
        ArgumentNullException.ThrowIfNull(recurringJobId);
        if (string.IsNullOrWhiteSpace(recurringJobId))
        {
            throw new ArgumentException("A recurring job id must not be empty or whitespace.", nameof(recurringJobId));
        }

        if (recurringJobId.Length > MaxIdLength)
        {
            throw new ArgumentException(
                $"Recurring job id '{recurringJobId[..20]}…' is {recurringJobId.Length} characters long; at most {MaxIdLength} are allowed.",
                nameof(recurringJobId));
        }

        if (recurringJobId.Any(char.IsControl))
        {
            throw new ArgumentException("A recurring job id must not contain control characters (line breaks, tabs…).", nameof(recurringJobId));
        }
    }
}
