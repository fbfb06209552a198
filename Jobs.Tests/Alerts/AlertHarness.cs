using Jobs.Filters;
using Jobs.Server.Alerts;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace Jobs.Tests.Alerts;

/// <summary>
/// The alert wiring of the host on in-memory storage and a manual clock, with a mocked <see cref="IEmailSender"/>.
/// Jobs change state through the real state machine; alert jobs are performed by <see cref="RunAlertJobsAsync"/>.
/// </summary>
public sealed class AlertHarness : IAsyncDisposable
{
    public const string DashboardBaseUrl = "http://jobs.example:5080/jobs";

    private readonly ServiceProvider _provider;
    private readonly HashSet<string> _performed = new(StringComparer.Ordinal);

    public AlertHarness(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Alerts:Email:Enabled"] = "true",
            ["Alerts:Email:Host"] = "smtp.example",
            ["Alerts:Email:From"] = "jobs@example.com",
            ["Alerts:Email:To:0"] = "oncall@example.com",
            ["Alerts:Email:DashboardBaseUrl"] = DashboardBaseUrl,
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton(Sender.Object);
        services.AddJobs(o => o.UseInMemoryStorage());
        services.AddJobsAlerts(configuration);
        services.AddOptions<BackgroundJobServerOptions>();
        _provider = services.BuildServiceProvider();
        Sender.Setup(s => s.SendAsync(It.IsAny<EmailMessage>(), It.IsAny<CancellationToken>()))
            .Callback<EmailMessage, CancellationToken>((m, _) => Sent.Add(m))
            .Returns(Task.CompletedTask);
    }

    public ManualTimeProvider Time { get; } = new();

    public Mock<IEmailSender> Sender { get; } = new(MockBehavior.Strict);

    public List<EmailMessage> Sent { get; } = [];

    public IServiceProvider Services => _provider;

    public IJobStorage Storage => _provider.GetRequiredService<IJobStorage>();

    public IBackgroundJobClient Client => _provider.GetRequiredService<IBackgroundJobClient>();

    public AlertEmailOptions Options => _provider.GetRequiredService<IOptions<AlertEmailOptions>>().Value;

    /// <summary>Enqueues a job and moves it to Failed as a worker would after attempt <paramref name="retryCount"/> + 1.</summary>
    public async Task<string> FailAsync(System.Linq.Expressions.Expression<Action<AlertTestJob>> call, Exception exception, int retryCount)
    {
        var id = await Client.EnqueueAsync(call);
        await ChangeAsync(id, new FailedState(exception, "An exception occurred") { ServerId = "worker-host:1" }, retryCount);
        return id;
    }

    public async Task<string> SucceedAsync(System.Linq.Expressions.Expression<Action<AlertTestJob>> call)
    {
        var id = await Client.EnqueueAsync(call);
        await ChangeAsync(id, new SucceededState(null, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(1)), 0);
        return id;
    }

    public async Task<bool> ChangeAsync(string jobId, IState state, int retryCount)
    {
        var stored = await Storage.GetJobAsync(jobId, CancellationToken.None) ?? throw new InvalidOperationException($"No job {jobId}.");
        var changer = _provider.GetRequiredService<BackgroundJobStateChanger>();
        return await changer.ChangeStateAsync(
            new StateChangeRequest(jobId, stored.Invocation, stored.Invocation.Deserialize(), stored.StateName, state, null, retryCount),
            CancellationToken.None);
    }

    /// <summary>Moves due alert jobs into their queue and performs every alert job not performed yet; returns how many ran.</summary>
    public async Task<int> RunAlertJobsAsync()
    {
        await Storage.EnqueueDueScheduledJobsAsync(Time.GetUtcNow(), 1000, CancellationToken.None);
        var queued = await Storage.Monitoring.GetEnqueuedJobsAsync(Options.Queue, 0, 1000, CancellationToken.None);
        var ran = 0;
        foreach (var summary in queued.Where(j => _performed.Add(j.Id)))
        {
            var stored = await Storage.GetJobAsync(summary.Id, CancellationToken.None);
            var job = stored!.Invocation.Deserialize();
            var instance = ActivatorUtilities.CreateInstance(_provider, job.Type);
            var args = job.Method.GetParameters()
                .Select((p, i) => p.ParameterType == typeof(CancellationToken) ? CancellationToken.None : job.Args[i])
                .ToArray();
            await (Task)job.Method.Invoke(instance, args)!;
            ran++;
        }

        return ran;
    }

    /// <summary>Jobs in the alert queue or scheduled for it.</summary>
    public async Task<IReadOnlyList<JobSummary>> AlertJobsAsync()
    {
        var enqueued = await Storage.Monitoring.GetEnqueuedJobsAsync(Options.Queue, 0, 1000, CancellationToken.None);
        var scheduled = await Storage.Monitoring.GetJobsAsync(ScheduledState.StateName, 0, 1000, CancellationToken.None);
        return [.. enqueued, .. scheduled.Where(j => j.Queue == Options.Queue)];
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
