using System.Net.Mail;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Jobs.Server.Alerts;

/// <summary>
/// Sends alert e-mails through a resilience pipeline: a few quick retries with exponential back-off,
/// inside them a circuit breaker so a mail server that is down is not hammered by every alert job.
/// When the pipeline gives up, the caller (an alert job) fails and its own retry sends later.
/// </summary>
internal sealed class AlertMailer
{
    private readonly IEmailSender _sender;
    private readonly ResiliencePipeline _pipeline;

    public AlertMailer(IEmailSender sender, IOptions<AlertEmailOptions> options, TimeProvider timeProvider, ILogger<AlertMailer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender;
        var settings = options.Value;
        var transient = new PredicateBuilder()
            .Handle<SmtpException>()
            .Handle<IOException>()
            .Handle<SocketException>()
            .Handle<TimeoutException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (settings.SendRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.SendRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.SendRetryDelay,
                UseJitter = true,
                OnRetry = args =>
                {
                    AlertsLog.SendRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = settings.CircuitBreakDuration,
                OnOpened = args =>
                {
                    AlertsLog.CircuitOpened(logger, args.Outcome.Exception, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    AlertsLog.CircuitClosed(logger);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Sends or throws (the last transient error, or <see cref="BrokenCircuitException"/> while the circuit is open).</summary>
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Sender.SendAsync(state.Message, token),
            (Sender: _sender, Message: message),
            cancellationToken);
    }
}
