namespace Jobs.Server.DashboardUsers;

/// <summary>Sign-in log messages of the dashboard users, event ids 9200–9219: enough for an operator (or fail2ban) to see who tried what from where.</summary>
internal static partial class DashboardUsersLog
{
    [LoggerMessage(EventId = 9200, Level = LogLevel.Information, Message = "Dashboard sign-in enabled for {Count} configured users ({Admins} admins)")]
    public static partial void Enabled(ILogger logger, int count, int admins);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Dashboard user {User} signed in from {RemoteAddress}")]
    public static partial void SignedIn(ILogger logger, string user, string? remoteAddress);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "Failed dashboard sign-in as {User} from {RemoteAddress} ({Via})")]
    public static partial void SignInFailed(ILogger logger, string user, string? remoteAddress, string via);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Warning, Message = "Dashboard sign-in name {User} locked out after repeated failures, last from {RemoteAddress}")]
    public static partial void LockedOut(ILogger logger, string user, string? remoteAddress);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Dashboard sign-in as {User} from {RemoteAddress} ({Via}) refused: locked out for another {Remaining}")]
    public static partial void SignInLockedOut(ILogger logger, string user, string? remoteAddress, string via, TimeSpan remaining);

    [LoggerMessage(EventId = 9205, Level = LogLevel.Information, Message = "Dashboard user {User} signed out")]
    public static partial void SignedOut(ILogger logger, string user);

    [LoggerMessage(EventId = 9206, Level = LogLevel.Debug, Message = "Dashboard API request from {RemoteAddress} authenticated as {User} through HTTP Basic")]
    public static partial void BasicAuthenticated(ILogger logger, string user, string? remoteAddress);
}
