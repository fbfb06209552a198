using Jobs.Filters;
using Jobs.States;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs;

/// <summary>
/// Retries a failed job: the Failed candidate becomes Scheduled ("Retry attempt n of N") after a
/// back-off that grows with the attempt, plus jitter. Applied globally with 10 attempts; place it on
/// a class or method to change that there. <c>Attempts = 0</c> turns retries off.
/// </summary>
public sealed class AutomaticRetryAttribute : JobFilterAttribute, IElectStateFilter
{
    public const int DefaultAttempts = 10;

    private int _attempts = DefaultAttempts;
    private int[]? _delaysInSeconds;

    public int Attempts
    {
        get => _attempts;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Attempts));
            _attempts = value;
        }
    }

    /// <summary>Explicit delays per attempt (the last one repeats); null uses the growing back-off.</summary>
    public int[]? DelaysInSeconds
    {
        get => _delaysInSeconds;
        set
        {
            if (value is not null && (value.Length == 0 || value.Any(d => d < 0)))
            {
                throw new ArgumentException("DelaysInSeconds must hold at least one delay, none negative.", nameof(value));
            }

            _delaysInSeconds = value;
        }
    }

    public AttemptsExceededAction OnAttemptsExceeded { get; set; } = AttemptsExceededAction.Fail;

    /// <summary>When set, only exceptions of these types (or derived ones) are retried.</summary>
    public Type[]? OnlyOn { get; set; }

    public Task OnStateElectionAsync(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not FailedState failed)
        {
            return Task.CompletedTask;
        }

        if (OnlyOn is { Length: > 0 } && !OnlyOn.Any(t => t.IsInstanceOfType(failed.Exception)))
        {
            return Task.CompletedTask;
        }

        if (context.RetryCount < Attempts)
        {
            var attempt = context.RetryCount + 1;
            var clock = context.Services?.GetService<TimeProvider>() ?? TimeProvider.System;
            context.RetryCount = attempt;
            context.CandidateState = new ScheduledState(
                clock.GetUtcNow() + DelayFor(attempt),
                $"Retry attempt {attempt} of {Attempts}: {failed.ExceptionMessage}");
        }
        else if (Attempts > 0 && OnAttemptsExceeded == AttemptsExceededAction.Delete)
        {
            context.CandidateState = new DeletedState($"Exceeded the maximum number of retry attempts ({Attempts}): {failed.ExceptionMessage}");
        }

        return Task.CompletedTask;
    }

    /// <summary>The delay before the given attempt (1-based): the configured one, or attempt⁴ + 15 s plus up to 30 s × (attempt + 1) of jitter.</summary>
    public TimeSpan DelayFor(int attempt)
    {
        if (_delaysInSeconds is { } delays)
        {
            return TimeSpan.FromSeconds(delays[Math.Min(attempt, delays.Length) - 1]);
        }

#pragma warning disable CA5394 // jitter spreads retries; it is not security-relevant
        var jitter = Random.Shared.Next(30) * (attempt + 1);
#pragma warning restore CA5394
        return TimeSpan.FromSeconds(Math.Pow(attempt, 4) + 15 + jitter);
    }
}
