using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Tasks;

/// <summary>What a task of this library is built from: its options, the clock it reads the time from, and its logger.</summary>
/// <typeparam name="TOptions">The task's options, bound from its <c>Tasks:&lt;id&gt;</c> section.</typeparam>
public abstract class ConfiguredTask<TOptions>
    where TOptions : TaskOptions
{
    private protected ConfiguredTask(IOptions<TOptions> options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options.Value;
        Clock = timeProvider;
        Logger = logger;
    }

    private protected TOptions Options { get; }

    private protected TimeProvider Clock { get; }

    private protected ILogger Logger { get; }
}
