namespace Jobs.Server.Alerts;

/// <summary>Alert e-mails about jobs that have finally failed (configuration section <c>Alerts:Email</c>).</summary>
public sealed class AlertEmailOptions
{
    public const string SectionName = "Alerts:Email";

    /// <summary>Whether alerts are sent; everything else is validated at start only when true. Default: false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The SMTP server's host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP server's port. Default: 25.</summary>
    public int Port { get; set; } = 25;

    /// <summary>How the connection is secured. Default: <see cref="AlertTlsMode.None"/>.</summary>
    public AlertTlsMode TlsMode { get; set; } = AlertTlsMode.None;

    /// <summary>The SMTP user; empty sends without authentication.</summary>
    public string? User { get; set; }

    /// <summary>The SMTP password of <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The sender address, such as <c>jobs@example.com</c>.</summary>
    public string? From { get; set; }

    /// <summary>The recipients; at least one.</summary>
    public IList<string> To { get; set; } = [];

    /// <summary>At most one e-mail per task in this window; further failures go into one digest at its end. Default: 15 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The dashboard's address as operators reach it, such as <c>http://host:5080/jobs</c>; links are <c>{DashboardBaseUrl}/job/{id}</c>.</summary>
    public string? DashboardBaseUrl { get; set; }

    /// <summary>The queue of the alert jobs; added to the host's queues when alerts are enabled. Default: "alerts".</summary>
    public string Queue { get; set; } = "alerts";

    /// <summary>Whether a task that failed and then succeeds again gets a "recovered" e-mail. Default: true.</summary>
    public bool SendRecovered { get; set; } = true;

    /// <summary>How long one SMTP send may take. Default: 30 s.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Immediate retries of one send (exponential back-off from <see cref="SendRetryDelay"/>) before the alert job gives up for now. Default: 3.</summary>
    public int SendRetries { get; set; } = 3;

    /// <summary>The first delay of the immediate retries; it doubles each time. Default: 2 s.</summary>
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After repeated failed sends the circuit opens: sends fail at once for this long, and the alert jobs wait for their retries. Default: 1 min.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an alert job that could not send is retried before it fails. Default: 100 (about four days with the default delays).</summary>
    public int RetryAttempts { get; set; } = 100;

    /// <summary>Delays in seconds before the alert job's retries; the last repeats. Empty: 30 s, 1 min, 5 min, 15 min, 1 h.</summary>
    public IList<int> RetryDelaysInSeconds { get; set; } = [];

    /// <summary>The delays used when <see cref="RetryDelaysInSeconds"/> is empty.</summary>
    public static IReadOnlyList<int> DefaultRetryDelaysInSeconds { get; } = [30, 60, 300, 900, 3600];
}
