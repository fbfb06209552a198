using Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Server;

/// <summary>
/// The log of one job while one worker performs it: the <see cref="PerformContext"/> the job method receives, and the
/// target of <see cref="JobLogLoggerProvider"/> through <see cref="Current"/>. Lines wait here until the
/// <see cref="JobLogWriter"/> takes them; beyond <see cref="JobLogOptions.MaxLinesPerJob"/> they are only counted,
/// so a chatty job cannot fill the memory. Once ended, further lines (of tasks the job left running) are ignored.
/// </summary>
internal sealed class JobLog : PerformContext
{
    private static readonly AsyncLocal<JobLog?> CurrentLog = new();

    private readonly JobLogWriter _writer;
    private readonly Lock _lock = new();
    private List<NewJobLogLine> _pending = [];
    private int _accepted;
    private int _dropped;
    private bool _queued;
    private bool _written;
    private bool _ended;

    public JobLog(JobLogWriter writer, string jobId, CancellationToken cancellationToken)
    {
        _writer = writer;
        JobId = jobId;
        CancellationToken = cancellationToken;
    }

    /// <summary>The log of the job the current code runs for (flows into everything the job awaits or starts), or null outside jobs.</summary>
    public static JobLog? Current
    {
        get => CurrentLog.Value;
        set => CurrentLog.Value = value;
    }

    public override string JobId { get; }

    public override CancellationToken CancellationToken { get; }

    /// <summary>Whether a line of this level logged through <see cref="ILogger"/> is kept.</summary>
    public bool Accepts(LogLevel level) => level != LogLevel.None && level >= _writer.Options.MinimumLevel && !Volatile.Read(ref _ended);

    public override void WriteLine(LogLevel level, string message)
    {
        var text = Truncate(message ?? string.Empty, _writer.Options.MaxLineLength);
        bool first;
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            if (_accepted < _writer.Options.MaxLinesPerJob)
            {
                // Timed under the lock, so the times of a job's lines never go backwards.
                _pending.Add(new NewJobLogLine(_writer.Time.GetUtcNow(), level, text));
                _accepted++;
            }
            else
            {
                _dropped++;
            }

            first = !_queued;
            _queued = true;
            _written = true;
        }

        _writer.LineWritten(this, first);
    }

    /// <summary>Takes what waits to be stored; null when nothing does.</summary>
    public JobLogAppend? TakePending()
    {
        lock (_lock)
        {
            _queued = false;
            if (_pending.Count == 0 && _dropped == 0)
            {
                return null;
            }

            var append = new JobLogAppend(JobId, _pending, _dropped);
            _pending = [];
            _dropped = 0;
            return append;
        }
    }

    /// <summary>Ends the log: later lines are ignored, and the returned task completes once every line written so far is stored (or could not be).</summary>
    public Task EndAsync()
    {
        lock (_lock)
        {
            _ended = true;
            if (!_written)
            {
                return Task.CompletedTask;
            }
        }

        return _writer.FlushAsync();
    }

    private static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 1), "…");
}
