using Jobs.Common;

namespace Jobs.Storage.InMemory;

/// <summary>One stored recurring job. Touched only under the store's lock.</summary>
internal sealed class InMemoryRecurringJob
{
    public InMemoryRecurringJob(RecurringJobDefinition definition, DateTimeOffset createdAt)
    {
        Definition = definition;
        NextExecution = definition.NextExecution;
        CreatedAt = createdAt;
    }

    public RecurringJobDefinition Definition { get; set; }

    public bool Paused { get; set; }

    public DateTimeOffset? NextExecution { get; set; }

    public DateTimeOffset? LastExecution { get; set; }

    public string? LastJobId { get; set; }

    public DateTimeOffset CreatedAt { get; }

    public string? LastSkipReason { get; set; }

    public DateTimeOffset? LastSkippedAt { get; set; }
}
