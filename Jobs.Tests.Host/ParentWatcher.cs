using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.TestHost;

/// <summary>
/// Stops the host when the test process that started it (<c>JOBS_TEST_PARENT_PID</c>) is gone, so a test run that
/// is itself killed leaves no job server behind. The tests kill their servers in teardown; this covers the rest.
/// </summary>
internal sealed partial class ParentWatcher : BackgroundService
{
    public const string Variable = "JOBS_TEST_PARENT_PID";

    private readonly int _parentPid;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ParentWatcher> _logger;

    public ParentWatcher(int parentPid, IHostApplicationLifetime lifetime, ILogger<ParentWatcher> logger)
    {
        _parentPid = parentPid;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!IsRunning(_parentPid))
            {
                LogParentGone(_logger, _parentPid);
                _lifetime.StopApplication();
                return;
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The test process {Pid} is gone; stopping")]
    private static partial void LogParentGone(ILogger logger, int pid);
}
