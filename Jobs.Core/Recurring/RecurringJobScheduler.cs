using System.Globalization;
using Jobs.Common;
using Jobs.Filters;
using Jobs.Server;
using Jobs.States;
using Jobs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Recurring;

/// <summary>
/// Turns due recurring jobs into jobs. Every <see cref="BackgroundJobServerOptions.SchedulePollingInterval"/>
/// (sooner when a job it just scheduled is due sooner) it reads the due recurring jobs and claims each
/// occurrence through the storage, which makes every occurrence run exactly once however many servers
/// race for it; losing such a race is normal.
/// </summary>
/// <remarks>
/// <para><b>Missed occurrences</b> (no server was running, or the poll came late): the next run always
/// becomes the first occurrence after now, so however many occurrences were missed, at most one run
/// is created for them. Under <see cref="MisfireHandling.RunOnce"/> that run is created. Under
/// <see cref="MisfireHandling.Skip"/>, an occurrence seen more than the misfire tolerance after its
/// time — the larger of 1 minute and twice the polling interval — is skipped and the skip recorded on
/// the recurring job; an occurrence seen within the tolerance is merely late and runs.</para>
/// <para><b>Broken recurring jobs</b> never stop the others. One whose method no longer loads has its
/// occurrence skipped with the reason recorded (it runs again once the code is back). One whose cron
/// or time zone is no longer valid on this server records the error and is looked at again after
/// <see cref="InvalidScheduleRetryDelay"/>, so it neither hot-loops nor crowds out the due jobs.</para>
/// <para><b>Client filters</b> see each run as they see any job: <c>OnCreating</c> runs on every server
/// that tries the occurrence (keep it free of side effects), <c>OnCreated</c> carries the job id only on
/// the server that created it; a filter that cancels turns the occurrence into a recorded skip.</para>
/// </remarks>
public sealed partial class RecurringJobScheduler : IBackgroundProcess
{
    /// <summary>The reason on the Enqueued state of every run this scheduler creates.</summary>
    public const string TriggeredReason = "Triggered by recurring job scheduler";

    /// <summary>How long a recurring job whose schedule cannot be read waits before it is looked at again.</summary>
    public static readonly TimeSpan InvalidScheduleRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>The least lateness after which an occurrence counts as missed under <see cref="MisfireHandling.Skip"/>.</summary>
    public static readonly TimeSpan MinimumMisfireTolerance = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly ClientFilterPipeline _clientFilters;

    /// <param name="logger">Where problems with single recurring jobs are reported.</param>
    /// <param name="batchSize">How many due recurring jobs are read per round trip. Default: 1,000.</param>
    /// <param name="filters">The filters whose client half runs around each run's creation, as for any job; none when null.</param>
    /// <param name="services">The provider handed to client filters.</param>
    public RecurringJobScheduler(ILogger<RecurringJobScheduler>? logger = null, int batchSize = 1000, IJobFilterProvider? filters = null, IServiceProvider? services = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _batchSize = batchSize;
        _clientFilters = new ClientFilterPipeline(filters, services);
    }

    public string Name => "RecurringJobScheduler";

    /// <summary>The lateness after which an occurrence counts as missed under <see cref="MisfireHandling.Skip"/>.</summary>
    public static TimeSpan GetMisfireTolerance(TimeSpan pollingInterval) =>
        pollingInterval * 2 > MinimumMisfireTolerance ? pollingInterval * 2 : MinimumMisfireTolerance;

    public async Task ExecuteAsync(BackgroundProcessContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stopping = context.StoppingToken;
        var interval = context.Options.SchedulePollingInterval;
        while (!stopping.IsCancellationRequested)
        {
            var delay = interval;
            try
            {
                var pass = await RunOnceAsync(context);
                delay = NextDelay(pass, interval, context.Time.GetUtcNow());
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(_logger, ex);
            }

            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, context.Time, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass: reads the recurring jobs due now and claims each of their occurrences.</summary>
    internal async Task<SchedulerPass> RunOnceAsync(BackgroundProcessContext context)
    {
        var now = context.Time.GetUtcNow();
        var stopping = context.StoppingToken;
        var due = await context.Storage.GetDueRecurringJobsAsync(now, _batchSize, stopping);
        var claimed = 0;
        DateTimeOffset? earliestNext = null;
        foreach (var record in due)
        {
            stopping.ThrowIfCancellationRequested();
            try
            {
                var (result, next) = await ProcessAsync(context, record, now);
                if (result is null)
                {
                    continue;
                }

                if (result.Outcome != RecurringClaimOutcome.LostRace)
                {
                    claimed++;
                    if (next is { } n && (earliestNext is null || n < earliestNext))
                    {
                        earliestNext = n;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogRecurringJobFailed(_logger, ex, record.Id);
            }
        }

        return new SchedulerPass(due.Count, claimed, due.Count >= _batchSize, earliestNext);
    }

    private async Task<(RecurringClaimResult? Result, DateTimeOffset? Next)> ProcessAsync(BackgroundProcessContext context, RecurringJobRecord record, DateTimeOffset now)
    {
        if (record.NextExecution is not { } due || record.Paused)
        {
            return (null, null);
        }

        if (!CronSchedule.TryParse(record.Cron, out var schedule, out var cronError))
        {
            return await RecordBrokenAsync(context, record, due, now, cronError);
        }

        if (!TimeZoneResolver.TryResolve(record.TimeZoneId, out var zone))
        {
            return await RecordBrokenAsync(context, record, due, now, $"Time zone '{record.TimeZoneId}' was not found on server {context.ServerId}.");
        }

        var next = schedule.GetNextOccurrence(now, zone)?.ToUniversalTime(); // storages keep instants
        var claim = new RecurringOccurrenceClaim(record.Id, due, next, now, Job: null) { SkipIfPreviousRunning = !record.AllowOverlap };

        Job? job = null;
        string? loadError = null;
        try
        {
            job = record.Invocation.Deserialize();
        }
        catch (JobLoadException ex)
        {
            loadError = ex.Message;
        }

        ClientFilterPipeline.Run? run = null;
        if (job is null)
        {
            claim = claim with { SkipReason = $"Occurrence at {Format(due)} skipped: the job could not be loaded. {loadError}" };
        }
        else if (record.Misfire == MisfireHandling.Skip && now - due > GetMisfireTolerance(context.Options.SchedulePollingInterval))
        {
            claim = claim with { SkipReason = $"Missed occurrence at {Format(due)} skipped (MisfireHandling.Skip)" };
        }
        else
        {
            run = await _clientFilters.CreatingAsync(context.Storage, job, new EnqueuedState(record.Queue, TriggeredReason));
            claim = run.CanceledBy is { } filter
                ? claim with { SkipReason = $"Occurrence at {Format(due)} skipped: the client filter {filter} canceled the creation" }
                : claim with
                {
                    Job = new NewJob(record.Invocation, ClientFilterPipeline.QueueFor(run.State, record.Queue), run.State) { RecurringJobId = record.Id },
                };
        }

        var result = await context.Storage.ClaimRecurringOccurrenceAsync(claim, context.StoppingToken);
        if (run is not null)
        {
            await _clientFilters.CreatedAsync(context.Storage, run, result.Outcome == RecurringClaimOutcome.Created ? result.JobId : null);
        }

        switch (result.Outcome)
        {
            case RecurringClaimOutcome.Created:
                LogCreated(_logger, record.Id, Format(due), result.JobId);
                break;
            case RecurringClaimOutcome.Skipped when job is null && loadError is not null:
                LogJobNotLoaded(_logger, record.Id, loadError);
                break;
            case RecurringClaimOutcome.Skipped:
                LogSkipped(_logger, record.Id, Format(due), result.Reason ?? claim.SkipReason);
                break;
            default:
                LogLostRace(_logger, record.Id, Format(due));
                break;
        }

        return (result, next);
    }

    private async Task<(RecurringClaimResult? Result, DateTimeOffset? Next)> RecordBrokenAsync(
        BackgroundProcessContext context, RecurringJobRecord record, DateTimeOffset due, DateTimeOffset now, string error)
    {
        var retryAt = now + InvalidScheduleRetryDelay;
        var claim = new RecurringOccurrenceClaim(record.Id, due, retryAt, now, Job: null)
        {
            SkipReason = $"Occurrence at {Format(due)} skipped: {error} Retrying at {Format(retryAt)}.",
        };
        var result = await context.Storage.ClaimRecurringOccurrenceAsync(claim, context.StoppingToken);
        if (result.Outcome != RecurringClaimOutcome.LostRace)
        {
            LogInvalidSchedule(_logger, record.Id, error); // once, by the server that recorded it
        }

        return (result, retryAt);
    }

    internal static TimeSpan NextDelay(SchedulerPass pass, TimeSpan interval, DateTimeOffset now)
    {
        if (pass.MoreDue && pass.Claimed > 0)
        {
            return TimeSpan.Zero; // a full batch moved on: read the rest straight away
        }

        if (pass.EarliestNext is { } next && next - now < interval)
        {
            return next - now > TimeSpan.Zero ? next - now : TimeSpan.Zero;
        }

        return interval;
    }

    private static string Format(DateTimeOffset value) => value.ToString("u", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Recurring job {RecurringJobId}: occurrence at {Occurrence} enqueued as job {JobId}")]
    private static partial void LogCreated(ILogger logger, string recurringJobId, string occurrence, string? jobId);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Recurring job {RecurringJobId}: occurrence at {Occurrence} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string recurringJobId, string occurrence, string? reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Recurring job {RecurringJobId}: occurrence at {Occurrence} was claimed by another server or changed meanwhile")]
    private static partial void LogLostRace(ILogger logger, string recurringJobId, string occurrence);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Recurring job {RecurringJobId} could not be loaded, its occurrence is skipped: {Error}")]
    private static partial void LogJobNotLoaded(ILogger logger, string recurringJobId, string error);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Recurring job {RecurringJobId} has a schedule this server cannot read: {Error}")]
    private static partial void LogInvalidSchedule(ILogger logger, string recurringJobId, string error);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Error, Message = "Recurring job {RecurringJobId} could not be scheduled; the others go on")]
    private static partial void LogRecurringJobFailed(ILogger logger, Exception exception, string recurringJobId);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Error, Message = "Reading the due recurring jobs failed; retrying after the polling interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
