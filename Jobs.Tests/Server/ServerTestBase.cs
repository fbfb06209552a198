using Jobs.Filters;
using Jobs.Storage;
using Jobs.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Server;

/// <summary>An in-memory storage, a probe, and servers with short intervals that are stopped after each test.</summary>
public abstract class ServerTestBase
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<BackgroundJobServer> _servers = [];
    private readonly List<ServiceProvider> _providers = [];

    protected InMemoryJobStorage Storage { get; private set; } = null!;

    protected ServerProbe Probe { get; private set; } = null!;

    /// <summary>A client of its own, as another process would have.</summary>
    protected BackgroundJobClient Client { get; private set; } = null!;

    [SetUp]
    public void SetUpStorage()
    {
        Storage = new InMemoryJobStorage();
        Probe = new ServerProbe();
        Client = new BackgroundJobClient(Storage);
    }

    [TearDown]
    public async Task TearDownServers()
    {
        Probe.Gate.TrySetResult();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Storage.DisposeAsync();
        _servers.Clear();
        _providers.Clear();
    }

    protected static BackgroundJobServerOptions FastOptions() => new()
    {
        ServerName = "test",
        WorkerCount = 2,
        QueuePollInterval = TimeSpan.FromMilliseconds(100),
        SchedulePollingInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        ServerCheckInterval = TimeSpan.FromMilliseconds(100),
        ServerTimeout = TimeSpan.FromSeconds(30),
        ExpirationCheckInterval = TimeSpan.FromSeconds(1),
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    protected async Task<BackgroundJobServer> StartServerAsync(
        Action<BackgroundJobServerOptions>? configure = null,
        IJobStorage? storage = null,
        IJobFilterProvider? filters = null,
        Action<IServiceCollection>? services = null)
    {
        var server = CreateServer(configure, storage, filters, services);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    protected BackgroundJobServer CreateServer(
        Action<BackgroundJobServerOptions>? configure = null,
        IJobStorage? storage = null,
        IJobFilterProvider? filters = null,
        Action<IServiceCollection>? services = null)
    {
        var options = FastOptions();
        configure?.Invoke(options);
        var collection = new ServiceCollection().AddSingleton(Probe);
        if (Environment.GetEnvironmentVariable("JOBS_TEST_LOG") is not null)
        {
            collection.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug));
        }

        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        _providers.Add(provider);
        var server = new BackgroundJobServer(options, storage ?? Storage, provider, filters)
        {
            RetryDelay = TimeSpan.FromMilliseconds(50),
            AbortGrace = TimeSpan.FromSeconds(2),
        };
        _servers.Add(server);
        return server;
    }

    /// <summary>Waits (polling the storage) until the job is in the state; returns its details.</summary>
    protected Task<JobDetails> WaitForStateAsync(string jobId, string state) => WaitForStateAsync(Storage, jobId, state);

    /// <summary>Waits (polling the given storage) until the job is in the state; returns its details.</summary>
    protected static async Task<JobDetails> WaitForStateAsync(IJobStorage storage, string jobId, string state)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var details = await storage.Monitoring.GetJobDetailsAsync(jobId, CancellationToken.None);
            if (details?.Summary.StateName == state)
            {
                return details;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Job {jobId} did not reach {state} within {Patience}; it is {details?.Summary.StateName ?? "gone"}.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    protected static async Task WaitAsync(SemaphoreSlim signal, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.That(await signal.WaitAsync(Patience), Is.True, "The signal did not come in time.");
        }
    }

    protected static Task WaitAsync(Task task) => task.WaitAsync(Patience);
}
