namespace Jobs.Tests.Tasks;

/// <summary>A clock that always says the same instant, so a test decides what "expired" means.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
