namespace Jobs.Server;

/// <summary>
/// A loop a server runs beside its workers (scheduler, watchdog, expiration…). It runs until
/// <see cref="BackgroundProcessContext.StoppingToken"/> fires; an exception is logged and the
/// process restarted after a short delay.
/// </summary>
public interface IBackgroundProcess
{
    string Name { get; }

    Task ExecuteAsync(BackgroundProcessContext context);
}
