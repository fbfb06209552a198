namespace Jobs.Storage.InMemory;

/// <summary>Settings of the in-memory storage, the embedded default for a first run and for fast tests.</summary>
public sealed class InMemoryStorageOptions
{
    /// <summary>How long Succeeded and Deleted jobs are kept before they expire. Failed jobs never expire. Default: 1 day.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (JobRetention < TimeSpan.Zero)
        {
            throw new ArgumentException($"JobRetention must not be negative, was {JobRetention}.");
        }
    }
}
