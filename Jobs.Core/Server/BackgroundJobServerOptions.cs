namespace Jobs;

/// <summary>Settings of a job server (configuration section <c>Jobs:Server</c>).</summary>
public sealed class BackgroundJobServerOptions
{
    /// <summary>Workers performing jobs at once. Default: <c>min(ProcessorCount × 5, 20)</c>.</summary>
    public int WorkerCount { get; set; } = Math.Min(Environment.ProcessorCount * 5, 20);

    /// <summary>Queues to take jobs from, in priority order. Default: <c>["default"]</c>.</summary>
    public IList<string> Queues { get; set; } = ["default"];

    /// <summary>A readable name; the server id is this plus a unique suffix. Default: the machine name.</summary>
    public string ServerName { get; set; } = Environment.MachineName;

    /// <summary>How often the server reports it is alive. Default: 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A server silent this long is removed and its jobs go back to their queues. Default: 30 s.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the watchdog looks for timed-out servers. Default: 10 s.</summary>
    public TimeSpan ServerCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often due scheduled and recurring jobs are looked for. Default: 1 s.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many jobs the server claims ahead of its idle workers, so that a worker that finishes a job starts the next
    /// one without waiting for a fetch. Jobs claimed ahead show as Processing on this server; one that no worker has
    /// started within <see cref="QueuePollInterval"/> goes back to its queue, as do all of them when the server stops.
    /// Useful for many short jobs; with long jobs, a job claimed ahead waits up to that long while another server may
    /// be idle. Default: 0 (claim only for idle workers).
    /// </summary>
    public int PrefetchCount { get; set; }

    /// <summary>How long fetching waits for a notification before it polls anyway. Default: 5 s.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, running jobs get this long to finish before they are canceled and requeued. Default: 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired Succeeded and Deleted jobs are removed. Default: 1 min.</summary>
    public TimeSpan ExpirationCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether this server runs the delayed-job and recurring schedulers. Default: true.</summary>
    public bool RunSchedulers { get; set; } = true;

    /// <summary>How the logs jobs write while they run are kept (section <c>Jobs:Server:JobLog</c>).</summary>
    public JobLogOptions JobLog { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (WorkerCount < 1)
        {
            throw new ArgumentException($"WorkerCount must be at least 1, was {WorkerCount}.");
        }

        if (PrefetchCount < 0)
        {
            throw new ArgumentException($"PrefetchCount must not be negative, was {PrefetchCount}.");
        }

        if (Queues is null || Queues.Count == 0)
        {
            throw new ArgumentException("Queues must name at least one queue.");
        }

        foreach (var queue in Queues)
        {
            States.QueueNames.Validate(queue);
        }

        if (string.IsNullOrWhiteSpace(ServerName))
        {
            throw new ArgumentException("ServerName must not be empty.");
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(HeartbeatInterval), HeartbeatInterval), (nameof(ServerTimeout), ServerTimeout),
                     (nameof(ServerCheckInterval), ServerCheckInterval), (nameof(SchedulePollingInterval), SchedulePollingInterval),
                     (nameof(QueuePollInterval), QueuePollInterval), (nameof(ExpirationCheckInterval), ExpirationCheckInterval),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{name} must be positive, was {value}.");
            }
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"ShutdownTimeout must not be negative, was {ShutdownTimeout}.");
        }

        if (ServerTimeout <= HeartbeatInterval)
        {
            throw new ArgumentException($"ServerTimeout ({ServerTimeout}) must be longer than HeartbeatInterval ({HeartbeatInterval}).");
        }

        if (JobLog is null)
        {
            throw new ArgumentException("JobLog must not be null.");
        }

        JobLog.Validate();
    }
}
