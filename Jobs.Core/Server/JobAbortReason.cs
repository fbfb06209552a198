namespace Jobs.Server;

/// <summary>Why a running job's token was canceled.</summary>
internal enum JobAbortReason
{
    None = 0,

    /// <summary>The server is shutting down and the shutdown timeout passed.</summary>
    Shutdown = 1,

    /// <summary>The storage says the job is no longer held by this server (deleted or requeued).</summary>
    NoLongerHeld = 2,
}
