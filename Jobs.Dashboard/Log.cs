using Microsoft.Extensions.Logging;

namespace Jobs.Dashboard;

/// <summary>Dashboard log messages, event ids 4000–4099: an audit line for every action.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Dashboard action {Action} by {User} from {RemoteAddress}: {Outcome}")]
    public static partial void ActionDone(ILogger logger, string action, string user, string? remoteAddress, string outcome);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Dashboard action {Action} refused for {User} from {RemoteAddress}: {Reason}")]
    public static partial void ActionRefused(ILogger logger, string action, string user, string? remoteAddress, string reason);
}
