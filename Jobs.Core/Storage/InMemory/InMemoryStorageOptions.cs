namespace Jobs.Storage.InMemory;

/// <summary>Settings of the in-memory storage, the embedded default for a first run and for fast tests.</summary>
public sealed class InMemoryStorageOptions
{
    /// <summary>How long Succeeded and Deleted jobs are kept before they expire. Failed jobs never expire. Default: 1 day.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the per-task daily figures of expired jobs are kept for the task statistics
    /// (<see cref="IMonitoringApi.GetTaskStatisticsAsync"/>). Default: 400 days; at most 100 years.
    /// </summary>
    public TimeSpan TaskStatisticsRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (JobRetention < TimeSpan.Zero)
        {
            throw new ArgumentException($"JobRetention must not be negative, was {JobRetention}.");
        }

        if (TaskStatisticsRetention <= TimeSpan.Zero || TaskStatisticsRetention > TimeSpan.FromDays(36_500))
        {
            throw new ArgumentException($"TaskStatisticsRetention must be more than zero and at most 36500 days, was {TaskStatisticsRetention}.");
        }
    }
}
