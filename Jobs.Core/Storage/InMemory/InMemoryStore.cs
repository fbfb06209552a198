using System.Globalization;
using Jobs.States;

namespace Jobs.Storage.InMemory;

/// <summary>
/// Everything an in-memory storage holds, with the indexes that keep each operation O(log n) or
/// O(k) in what it returns. Not thread-safe by itself: every member is called with <see cref="Gate"/> held.
/// </summary>
internal sealed class InMemoryStore
{
    private const string Succeeded = SucceededState.StateName;
    private const string Deleted = DeletedState.StateName;

    private readonly Dictionary<long, InMemoryJob> _jobs = [];
    private readonly Dictionary<string, SortedSet<(long Ticks, long Id)>> _queues = new(StringComparer.Ordinal);
    private readonly SortedSet<(long Ticks, long Id)> _scheduled = [];
    private readonly SortedSet<(long Ticks, long Id)> _retries = [];
    private readonly SortedSet<(long Ticks, long Id)> _expiring = [];
    private readonly Dictionary<string, SortedSet<(long Ticks, long Id)>> _byState = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<long>> _runs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, InMemoryRecurringJob> _recurring = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ServerRecord> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (long Succeeded, long Failed)> _hourly = [];
    private readonly Dictionary<long, (long Succeeded, long Failed)> _daily = [];
    private readonly List<(IReadOnlyList<string> Queues, TaskCompletionSource Signal)> _waiters = [];
    private readonly Dictionary<DateOnly, Dictionary<(string Type, string Method, string? RecurringJobId), InMemoryTaskFigures>> _expiredRuns = [];
    private readonly TimeSpan _retention;
    private readonly TimeSpan _taskStatisticsRetention;
    private long _lastId;
    private long _lastLogSequence;

    public InMemoryStore(TimeSpan retention, TimeSpan taskStatisticsRetention)
    {
        _retention = retention;
        _taskStatisticsRetention = taskStatisticsRetention;
        foreach (var state in StateNames.All)
        {
            _byState[state] = [];
        }
    }

    public Lock Gate { get; } = new();

    // ---- jobs -------------------------------------------------------------------------------

    public InMemoryJob? Find(string? id) =>
        id is not null
        && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key)
        && _jobs.TryGetValue(key, out var job)
            ? job
            : null;

    public InMemoryJob? Find(long id) => _jobs.GetValueOrDefault(id);

    /// <summary>Throws before anything is written when a continuation names a parent that does not exist.</summary>
    public void ValidateParents(IEnumerable<IState> states)
    {
        foreach (var state in states)
        {
            if (state is AwaitingState awaiting && Find(awaiting.ParentId) is null)
            {
                throw new ArgumentException(
                    $"The parent job '{awaiting.ParentId}' of the continuation does not exist (it may have expired).",
                    nameof(states));
            }
        }
    }

    public InMemoryJob Create(NewJob newJob, DateTimeOffset now)
    {
        var queue = QueueNames.Validate(newJob.Queue);
        var job = new InMemoryJob(++_lastId, newJob.Invocation, queue, newJob.RecurringJobId, now);
        _jobs.Add(job.Id, job);
        Apply(job, newJob.InitialState, now);
        if (newJob.RecurringJobId is { } recurringId)
        {
            RunsOf(recurringId).Add(job.Id);
            if (_recurring.TryGetValue(recurringId, out var recurring))
            {
                recurring.LastJobId = job.IdText;
                recurring.LastExecution = now;
            }
        }

        return job;
    }

    public bool TryChange(StateChange change, DateTimeOffset now)
    {
        var job = Find(change.JobId);
        if (job is null
            || (change.ExpectedStates is { } expected && !expected.Contains(job.StateName, StringComparer.Ordinal))
            || (change.ExpectedServerId is { } serverId && !IsHeldBy(job, serverId)))
        {
            return false;
        }

        if (change.RetryCount is { } retryCount)
        {
            job.RetryCount = retryCount;
        }

        Apply(job, change.NewState, now);
        return true;
    }

    public static bool IsHeldBy(InMemoryJob job, string serverId) =>
        job.StateName == ProcessingState.StateName && string.Equals(job.ServerId, serverId, StringComparison.Ordinal);

    public List<FetchedJob> Fetch(FetchRequest request, DateTimeOffset now)
    {
        var fetched = new List<FetchedJob>();
        foreach (var queue in request.Queues.Distinct(StringComparer.Ordinal))
        {
            if (!_queues.TryGetValue(queue, out var waiting))
            {
                continue;
            }

            while (fetched.Count < request.Count && waiting.Count > 0)
            {
                var job = _jobs[waiting.Min.Id];
                var enqueuedAt = job.EnqueuedAt;
                Apply(job, new ProcessingState(request.ServerId), now);
                fetched.Add(new FetchedJob(job.IdText, job.Invocation, job.Queue, job.RetryCount, job.CreatedAt, enqueuedAt, job.RecurringJobId));
            }
        }

        return fetched;
    }

    public void AppendLog(JobLogAppend append, int maxLinesPerJob, DateTimeOffset now)
    {
        if (Find(append.JobId) is not { } job)
        {
            return;
        }

        long dropped = append.DroppedLines;
        foreach (var line in append.Lines)
        {
            if (job.LogLineCount < maxLinesPerJob)
            {
                job.Log.Add(new JobLogLine(++_lastLogSequence, line.Time, line.Level, line.Message));
                job.LogLineCount++;
            }
            else
            {
                dropped++;
            }
        }

        if (dropped <= 0)
        {
            return;
        }

        job.DroppedLogLines += dropped;
        var time = append.Lines.Count > 0 ? append.Lines[^1].Time : now;
        if (job.DroppedMarkerIndex < 0)
        {
            job.DroppedMarkerIndex = job.Log.Count;
            job.Log.Add(new JobLogLine(++_lastLogSequence, time, Microsoft.Extensions.Logging.LogLevel.Warning, JobLogLine.DroppedMarker(job.DroppedLogLines)));
        }
        else
        {
            job.Log[job.DroppedMarkerIndex] = job.Log[job.DroppedMarkerIndex] with { Message = JobLogLine.DroppedMarker(job.DroppedLogLines) };
        }
    }

    public List<JobLogLine> ReadLog(string jobId, long afterSequence, int take)
    {
        if (take <= 0 || Find(jobId) is not { } job)
        {
            return [];
        }

        var lines = new List<JobLogLine>(Math.Min(take, job.Log.Count));
        foreach (var line in job.Log)
        {
            if (line.Sequence > afterSequence)
            {
                lines.Add(line);
                if (lines.Count == take)
                {
                    break;
                }
            }
        }

        return lines;
    }

    public int EnqueueDueScheduled(DateTimeOffset now, int batchSize)
    {
        var moved = 0;
        while (moved < batchSize && _scheduled.Count > 0 && _scheduled.Min.Ticks <= now.UtcTicks)
        {
            Apply(_jobs[_scheduled.Min.Id], new EnqueuedState(reason: "Scheduled time reached") { EnqueuedAt = now }, now);
            moved++;
        }

        return moved;
    }

    public int DeleteExpired(DateTimeOffset now, int batchSize)
    {
        var oldestKept = TaskStatisticsDays.OldestKept(now, _taskStatisticsRetention);
        var deleted = 0;
        while (deleted < batchSize && _expiring.Count > 0 && _expiring.Min.Ticks <= now.UtcTicks)
        {
            var job = _jobs[_expiring.Min.Id];
            Leave(job);
            _jobs.Remove(job.Id);
            if (job.RecurringJobId is { } recurringId && _runs.TryGetValue(recurringId, out var runs))
            {
                runs.Remove(job.Id);
            }

            Find(job.ParentId)?.Continuations.Remove(job.Id);
            KeepFiguresOf(job, oldestKept);
            deleted++;
        }

        foreach (var day in _expiredRuns.Keys.Where(day => day < oldestKept).ToList())
        {
            _expiredRuns.Remove(day);
        }

        return deleted;
    }

    /// <summary>Adds the run of an expiring job that succeeded or failed to its task's figures of the UTC day it finished, unless that day is no longer kept.</summary>
    private void KeepFiguresOf(InMemoryJob job, DateOnly oldestKept)
    {
        var day = TaskStatisticsDays.DayOf(job.StateChangedAt);
        if (job.StateName is not (Succeeded or FailedState.StateName) || day < oldestKept)
        {
            return;
        }

        if (!_expiredRuns.TryGetValue(day, out var tasks))
        {
            tasks = [];
            _expiredRuns.Add(day, tasks);
        }

        var key = (job.Invocation.Type, job.Invocation.Method, job.RecurringJobId);
        if (!tasks.TryGetValue(key, out var figures))
        {
            figures = new InMemoryTaskFigures(job.Invocation.DisplayName, job.RecurringJobId);
            tasks.Add(key, figures);
        }

        figures.Add(job, stored: false);
    }

    /// <summary>Writes a state and everything that follows from it, continuations included (iteratively, so long chains cannot overflow the stack).</summary>
    private void Apply(InMemoryJob job, IState state, DateTimeOffset now)
    {
        var pending = new Queue<(InMemoryJob Job, IState State)>();
        pending.Enqueue((job, state));
        while (pending.TryDequeue(out var next))
        {
            Enter(next.Job, next.State, now, pending);
        }
    }

    private void Enter(InMemoryJob job, IState state, DateTimeOffset now, Queue<(InMemoryJob Job, IState State)> pending)
    {
        Leave(job);
        var data = new Dictionary<string, string>(state.SerializeData(), StringComparer.Ordinal);
        job.StateName = state.Name;
        job.StateReason = state.Reason;
        job.StateData = data;
        job.StateChangedAt = now;
        job.History.Add(new StateHistoryEntry(state.Name, state.Reason, now, data));
        StateIndex(state.Name).Add(job.StateKey);

        switch (state)
        {
            case EnqueuedState enqueued:
                job.Queue = enqueued.Queue ?? job.Queue;
                job.EnqueuedAt = now;
                QueueIndex(job.Queue).Add(job.QueueKey);
                Wake(job.Queue);
                break;
            case ScheduledState scheduled:
                job.ScheduledAt = scheduled.EnqueueAt;
                _scheduled.Add((scheduled.EnqueueAt.UtcTicks, job.Id));
                if (job.RetryCount > 0)
                {
                    _retries.Add((scheduled.EnqueueAt.UtcTicks, job.Id));
                }

                break;
            case ProcessingState processing:
                job.ServerId = processing.ServerId;
                break;
            case AwaitingState awaiting:
                job.ParentId = awaiting.ParentId;
                job.ContinuationOptions = awaiting.Options;
                if (Find(awaiting.ParentId) is { } parent)
                {
                    if (!parent.Continuations.Contains(job.Id))
                    {
                        parent.Continuations.Add(job.Id);
                    }

                    if (ContinuationStateAfter(parent, job, now) is { } follow)
                    {
                        pending.Enqueue((job, follow));
                    }
                }

                break;
            default:
                break;
        }

        if (state.Name is Succeeded or FailedState.StateName)
        {
            Count(now, succeeded: state.Name == Succeeded);
        }

        if (state.IsFinal)
        {
            job.ExpireAt = now + _retention;
            _expiring.Add((job.ExpireAt.Value.UtcTicks, job.Id));
        }

        if (state.Name is Succeeded or Deleted)
        {
            foreach (var childId in job.Continuations)
            {
                if (Find(childId) is { StateName: AwaitingState.StateName } child
                    && string.Equals(child.ParentId, job.IdText, StringComparison.Ordinal)
                    && ContinuationStateAfter(job, child, now) is { } follow)
                {
                    pending.Enqueue((child, follow));
                }
            }
        }
    }

    /// <summary>The state an awaiting child moves to given its parent's state, or null while the parent has not finished.</summary>
    private static IState? ContinuationStateAfter(InMemoryJob parent, InMemoryJob child, DateTimeOffset now) => parent.StateName switch
    {
        Succeeded => new EnqueuedState(reason: $"Parent job {parent.IdText} succeeded") { EnqueuedAt = now },
        Deleted when child.ContinuationOptions == JobContinuationOptions.OnAnyFinishedState =>
            new EnqueuedState(reason: $"Parent job {parent.IdText} was deleted") { EnqueuedAt = now },
        Deleted => new DeletedState($"Parent job {parent.IdText} was deleted; the continuation runs only on success"),
        _ => null,
    };

    /// <summary>Takes the job out of every index of its current state.</summary>
    private void Leave(InMemoryJob job)
    {
        if (job.StateName.Length == 0)
        {
            return;
        }

        StateIndex(job.StateName).Remove(job.StateKey);
        if (job.StateName == EnqueuedState.StateName && _queues.TryGetValue(job.Queue, out var queue))
        {
            queue.Remove(job.QueueKey);
            if (queue.Count == 0)
            {
                _queues.Remove(job.Queue);
            }
        }

        if (job.ScheduledAt is { } scheduledAt)
        {
            _scheduled.Remove((scheduledAt.UtcTicks, job.Id));
            _retries.Remove((scheduledAt.UtcTicks, job.Id));
            job.ScheduledAt = null;
        }

        if (job.ExpireAt is { } expireAt)
        {
            _expiring.Remove((expireAt.UtcTicks, job.Id));
            job.ExpireAt = null;
        }

        job.ServerId = null;
    }

    private SortedSet<(long Ticks, long Id)> StateIndex(string stateName)
    {
        if (!_byState.TryGetValue(stateName, out var index))
        {
            index = [];
            _byState.Add(stateName, index);
        }

        return index;
    }

    private SortedSet<(long Ticks, long Id)> QueueIndex(string queue)
    {
        if (!_queues.TryGetValue(queue, out var index))
        {
            index = [];
            _queues.Add(queue, index);
        }

        return index;
    }

    private SortedSet<long> RunsOf(string recurringJobId)
    {
        if (!_runs.TryGetValue(recurringJobId, out var runs))
        {
            runs = [];
            _runs.Add(recurringJobId, runs);
        }

        return runs;
    }

    private void Count(DateTimeOffset now, bool succeeded)
    {
        var utc = now.UtcDateTime;
        var hour = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc).Ticks;
        var day = utc.Date.Ticks;
        foreach (var (counters, key) in new[] { (_hourly, hour), (_daily, day) })
        {
            var (s, f) = counters.GetValueOrDefault(key);
            counters[key] = succeeded ? (s + 1, f) : (s, f + 1);
        }
    }

    // ---- waiting ----------------------------------------------------------------------------

    /// <summary>Returns null when one of the queues already has a job (no need to wait), else a signal set on the next enqueue.</summary>
    public TaskCompletionSource? AddWaiter(IReadOnlyList<string> queues)
    {
        if (queues.Any(_queues.ContainsKey))
        {
            return null;
        }

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((queues, signal));
        return signal;
    }

    public void RemoveWaiter(TaskCompletionSource signal) => _waiters.RemoveAll(w => w.Signal == signal);

    public void WakeAll()
    {
        foreach (var (_, signal) in _waiters)
        {
            signal.TrySetResult();
        }

        _waiters.Clear();
    }

    private void Wake(string queue)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Queues.Contains(queue, StringComparer.Ordinal))
            {
                _waiters[i].Signal.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    // ---- servers ----------------------------------------------------------------------------

    public void Announce(ServerAnnouncement server, DateTimeOffset now) =>
        _servers[server.Id] = new ServerRecord(server.Id, server.WorkerCount, server.Queues.ToArray(), server.StartedAt, now);

    public bool Heartbeat(string serverId, DateTimeOffset now)
    {
        if (!_servers.TryGetValue(serverId, out var server))
        {
            return false;
        }

        _servers[serverId] = server with { LastHeartbeat = now };
        return true;
    }

    public int RemoveServer(string serverId, string reason, DateTimeOffset now)
    {
        _servers.Remove(serverId);
        var held = _byState[ProcessingState.StateName]
            .Select(key => _jobs[key.Id])
            .Where(job => IsHeldBy(job, serverId))
            .ToList();
        foreach (var job in held)
        {
            Apply(job, new EnqueuedState(reason: reason) { EnqueuedAt = now }, now);
        }

        return held.Count;
    }

    public List<string> RemoveTimedOutServers(DateTimeOffset heartbeatCutoff, DateTimeOffset now)
    {
        var timedOut = _servers.Values.Where(s => s.LastHeartbeat < heartbeatCutoff).Select(s => s.Id).ToList();
        foreach (var serverId in timedOut)
        {
            RemoveServer(serverId, $"Server {serverId} missed its heartbeat and was removed", now);
        }

        return timedOut;
    }

    // ---- recurring --------------------------------------------------------------------------

    public void AddOrUpdateRecurring(RecurringJobDefinition definition, DateTimeOffset now)
    {
        if (!_recurring.TryGetValue(definition.Id, out var recurring))
        {
            _recurring.Add(definition.Id, new InMemoryRecurringJob(definition, now));
            return;
        }

        var scheduleChanged =
            !string.Equals(recurring.Definition.Cron, definition.Cron, StringComparison.Ordinal)
            || !string.Equals(recurring.Definition.TimeZoneId, definition.TimeZoneId, StringComparison.Ordinal);
        recurring.Definition = definition;
        if (scheduleChanged || recurring.NextExecution is null)
        {
            recurring.NextExecution = definition.NextExecution;
        }
    }

    public bool RemoveRecurring(string id) => _recurring.Remove(id);

    public RecurringJobRecord? GetRecurring(string id) =>
        _recurring.TryGetValue(id, out var recurring) ? ToRecord(recurring) : null;

    public bool SetPaused(string id, bool paused, DateTimeOffset? nextExecution)
    {
        if (!_recurring.TryGetValue(id, out var recurring))
        {
            return false;
        }

        if (!paused)
        {
            recurring.NextExecution = nextExecution;
        }

        recurring.Paused = paused;
        return true;
    }

    public List<RecurringJobRecord> GetDueRecurring(DateTimeOffset now, int limit) =>
        _recurring.Values
            .Where(r => !r.Paused && r.NextExecution is { } next && next <= now)
            .OrderBy(r => r.NextExecution)
            .ThenBy(r => r.Definition.Id, StringComparer.Ordinal)
            .Take(Math.Max(limit, 0))
            .Select(ToRecord)
            .ToList();

    public RecurringClaimResult Claim(RecurringOccurrenceClaim claim, DateTimeOffset now)
    {
        if (!_recurring.TryGetValue(claim.RecurringJobId, out var recurring)
            || recurring.Paused
            || recurring.NextExecution != claim.ExpectedNextExecution)
        {
            return new RecurringClaimResult(RecurringClaimOutcome.LostRace);
        }

        string? skipReason = null;
        if (claim.Job is null)
        {
            skipReason = claim.SkipReason ?? "Occurrence skipped";
        }
        else if (claim.SkipIfPreviousRunning
            && Find(recurring.LastJobId) is { StateName: EnqueuedState.StateName or ProcessingState.StateName or ScheduledState.StateName } previous)
        {
            skipReason = $"Previous run {previous.IdText} is still {previous.StateName}";
        }

        if (skipReason is null && claim.Job is not null)
        {
            ValidateParents([claim.Job.InitialState]);
        }

        recurring.NextExecution = claim.NewNextExecution;
        if (skipReason is not null || claim.Job is null)
        {
            recurring.LastSkipReason = skipReason;
            recurring.LastSkippedAt = claim.ClaimedAt;
            return new RecurringClaimResult(RecurringClaimOutcome.Skipped, Reason: skipReason);
        }

        var job = Create(claim.Job with { RecurringJobId = claim.RecurringJobId }, now);
        recurring.LastJobId = job.IdText;
        recurring.LastExecution = claim.ClaimedAt;
        return new RecurringClaimResult(RecurringClaimOutcome.Created, job.IdText);
    }

    private RecurringJobRecord ToRecord(InMemoryRecurringJob recurring)
    {
        var definition = recurring.Definition;
        return new RecurringJobRecord(
            definition.Id,
            definition.Invocation,
            definition.Cron,
            definition.TimeZoneId,
            definition.Queue,
            definition.Misfire,
            definition.AllowOverlap,
            recurring.Paused,
            recurring.NextExecution,
            recurring.LastExecution,
            recurring.LastJobId,
            Find(recurring.LastJobId)?.StateName,
            recurring.CreatedAt)
        {
            LastSkipReason = recurring.LastSkipReason,
            LastSkippedAt = recurring.LastSkippedAt,
        };
    }

    // ---- reading ----------------------------------------------------------------------------

    public StoredJob ToStored(InMemoryJob job) =>
        new(job.IdText, job.Invocation, job.Queue, job.StateName, job.RetryCount, job.CreatedAt, job.ServerId, job.RecurringJobId);

    public JobStatistics Statistics() => new(
        _byState[EnqueuedState.StateName].Count,
        _byState[ScheduledState.StateName].Count,
        _byState[AwaitingState.StateName].Count,
        _byState[ProcessingState.StateName].Count,
        _byState[Succeeded].Count,
        _byState[FailedState.StateName].Count,
        _byState[Deleted].Count,
        _retries.Count,
        _servers.Count,
        _recurring.Count,
        QueueNamesInUse().Count);

    public List<JobSummary> JobsInState(string stateName, int skip, int take) =>
        StateNames.Normalize(stateName) is { } name
            ? Page(_byState[name].Reverse(), skip, take)
            : [];

    public List<JobSummary> FailedJobs(FailedJobFilter filter, FailedJobCursor? after, int skip, int take) =>
        MatchingFailed(filter, after).Skip(Math.Max(skip, 0)).Take(Math.Max(take, 0)).Select(ToSummary).ToList();

    /// <summary>The matching failed jobs, counted no further than <paramref name="stopAt"/>.</summary>
    public long CountFailedJobs(FailedJobFilter filter, long stopAt) =>
        filter.IsEmpty
            ? Math.Min(_byState[FailedState.StateName].Count, stopAt)
            : MatchingFailed(filter, null).Take((int)Math.Min(stopAt, int.MaxValue)).LongCount();

    public List<JobSummary> Retries(int skip, int take) => Page(_retries, skip, take);

    public List<JobSummary> Enqueued(string queue, int skip, int take) =>
        _queues.TryGetValue(queue, out var index) ? Page(index, skip, take) : [];

    public JobDetails? Details(string jobId)
    {
        if (Find(jobId) is not { } job)
        {
            return null;
        }

        var history = new List<StateHistoryEntry>(job.History);
        history.Reverse();
        return new JobDetails(
            ToSummary(job),
            job.Invocation,
            history,
            job.ParentId,
            job.Continuations.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList(),
            job.ExpireAt,
            job.ServerId);
    }

    public List<QueueSummary> Queues(int firstJobsPerQueue) =>
        QueueNamesInUse()
            .Select(name => _queues.TryGetValue(name, out var index)
                ? new QueueSummary(name, index.Count, Page(index, 0, firstJobsPerQueue))
                : new QueueSummary(name, 0, []))
            .ToList();

    public List<ServerRecord> Servers() => [.. _servers.Values];

    public List<RecurringJobRecord> RecurringJobs() => _recurring.Values.Select(ToRecord).ToList();

    public List<JobSummary> RecurringRuns(string recurringJobId, int take) =>
        _runs.TryGetValue(recurringJobId, out var runs)
            ? runs.Reverse().Take(Math.Max(take, 0)).Select(id => ToSummary(_jobs[id])).ToList()
            : [];

    public List<TimelinePoint> Timeline(DateTimeOffset until, int buckets, bool hourly)
    {
        var utc = until.UtcDateTime;
        var last = hourly ? new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc) : utc.Date;
        var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var counters = hourly ? _hourly : _daily;
        var points = new List<TimelinePoint>(Math.Max(buckets, 0));
        for (var i = buckets - 1; i >= 0; i--)
        {
            var start = last - (step * i);
            var (succeeded, failed) = counters.GetValueOrDefault(start.Ticks);
            points.Add(new TimelinePoint(new DateTimeOffset(start, TimeSpan.Zero), succeeded, failed));
        }

        return points;
    }

    /// <summary>The jobs still stored that finished in [from, to), from the state indexes, plus the kept figures of expired jobs of the days starting in it.</summary>
    public List<TaskStatistics> TaskStatistics(DateTimeOffset from, DateTimeOffset to)
    {
        var tasks = new Dictionary<(string Type, string Method, string? RecurringJobId), InMemoryTaskFigures>();
        InMemoryTaskFigures FiguresOf((string Type, string Method, string? RecurringJobId) key, string displayName)
        {
            if (!tasks.TryGetValue(key, out var figures))
            {
                figures = new InMemoryTaskFigures(displayName, key.RecurringJobId);
                tasks.Add(key, figures);
            }

            return figures;
        }

        if (from < to)
        {
            foreach (var state in new[] { Succeeded, FailedState.StateName })
            {
                foreach (var (_, id) in StateIndex(state).GetViewBetween((from.UtcTicks, long.MinValue), (to.UtcTicks - 1, long.MaxValue)))
                {
                    var job = _jobs[id];
                    FiguresOf((job.Invocation.Type, job.Invocation.Method, job.RecurringJobId), job.Invocation.DisplayName).Add(job, stored: true);
                }
            }
        }

        var (firstDay, endDay) = TaskStatisticsDays.StartingIn(from, to);
        foreach (var (day, expired) in _expiredRuns)
        {
            if (day >= firstDay && day < endDay)
            {
                foreach (var (key, figures) in expired)
                {
                    FiguresOf(key, figures.DisplayName).Add(figures);
                }
            }
        }

        return tasks.Values
            .Select(figures => figures.ToStatistics())
            .OrderBy(stats => stats.Task, StringComparer.Ordinal)
            .ThenBy(stats => stats.RecurringJobId, StringComparer.Ordinal)
            .ToList();
    }

    public List<JobSummary> Search(string text, int take)
    {
        var term = text.Trim();
        if (term.Length == 0 || take <= 0)
        {
            return [];
        }

        return _jobs.Values
            .Where(job => string.Equals(job.IdText, term, StringComparison.Ordinal)
                || job.Invocation.DisplayName.Contains(term, StringComparison.OrdinalIgnoreCase)
                || job.Invocation.Type.Contains(term, StringComparison.OrdinalIgnoreCase)
                || job.Invocation.Method.Contains(term, StringComparison.OrdinalIgnoreCase)
                || job.Invocation.Arguments.Contains(term, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(job => job.Id)
            .Take(take)
            .Select(ToSummary)
            .ToList();
    }

    private SortedSet<string> QueueNamesInUse()
    {
        var names = new SortedSet<string>(_queues.Keys, StringComparer.Ordinal);
        foreach (var server in _servers.Values)
        {
            names.UnionWith(server.Queues);
        }

        return names;
    }

    /// <summary>Failed jobs matching the filter, newest state change first, after the cursor when one is given.</summary>
    private IEnumerable<InMemoryJob> MatchingFailed(FailedJobFilter filter, FailedJobCursor? after)
    {
        long.TryParse(after?.JobId, NumberStyles.None, CultureInfo.InvariantCulture, out var afterId);
        return _byState[FailedState.StateName].Reverse()
            .Select(key => _jobs[key.Id])
            .Where(job => after is null
                || job.StateChangedAt < after.StateChangedAt
                || (job.StateChangedAt == after.StateChangedAt && job.Id < afterId))
            .Where(job => filter.Matches(job.Invocation.Type, job.Invocation.Method, job.Queue, job.StateData));
    }

    private List<JobSummary> Page(IEnumerable<(long Ticks, long Id)> keys, int skip, int take) =>
        keys.Skip(Math.Max(skip, 0)).Take(Math.Max(take, 0)).Select(key => ToSummary(_jobs[key.Id])).ToList();

    private static JobSummary ToSummary(InMemoryJob job) => new(
        job.IdText,
        job.Invocation.DisplayName,
        job.Queue,
        job.StateName,
        job.StateReason,
        job.CreatedAt,
        job.StateChangedAt,
        job.StateData,
        job.RetryCount,
        job.RecurringJobId);
}
