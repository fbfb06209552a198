using Jobs.States;

namespace Jobs;

/// <summary>Puts the job in a named queue, unless the caller names one explicitly.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class QueueAttribute : Attribute
{
    public QueueAttribute(string queue)
    {
        Queue = QueueNames.Validate(queue);
    }

    public string Queue { get; }
}
