using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobs.Tests.Server;

public sealed class JobLogOptionsTests
{
    [Test]
    public void Defaults_AreDocumentedValues_WhenCreated()
    {
        var options = new BackgroundJobServerOptions().JobLog;

        Assert.Multiple(() =>
        {
            Assert.That(options.MinimumLevel, Is.EqualTo(LogLevel.Information));
            Assert.That(options.MaxLinesPerJob, Is.EqualTo(1_000));
            Assert.That(options.MaxLineLength, Is.EqualTo(2_000));
            Assert.That(options.FlushInterval, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.BatchSize, Is.EqualTo(500));
            Assert.DoesNotThrow(options.Validate);
        });
    }

    [TestCase(nameof(JobLogOptions.MaxLinesPerJob))]
    [TestCase(nameof(JobLogOptions.MaxLineLength))]
    [TestCase(nameof(JobLogOptions.FlushInterval))]
    [TestCase(nameof(JobLogOptions.BatchSize))]
    [TestCase(nameof(JobLogOptions.MinimumLevel))]
    public void Validate_NamesTheSetting_WhenItIsInvalid(string setting)
    {
        var options = new BackgroundJobServerOptions();
        switch (setting)
        {
            case nameof(JobLogOptions.MaxLinesPerJob):
                options.JobLog.MaxLinesPerJob = 0;
                break;
            case nameof(JobLogOptions.MaxLineLength):
                options.JobLog.MaxLineLength = 3;
                break;
            case nameof(JobLogOptions.FlushInterval):
                options.JobLog.FlushInterval = TimeSpan.Zero;
                break;
            case nameof(JobLogOptions.BatchSize):
                options.JobLog.BatchSize = 0;
                break;
            default:
                options.JobLog.MinimumLevel = (LogLevel)42;
                break;
        }

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.StartWith("JobLog:" + setting));
    }

    [Test]
    public void JobLog_IsBoundFromTheServerSection_WhenConfigured()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Jobs:Server:JobLog:MaxLinesPerJob"] = "50",
                ["Jobs:Server:JobLog:MinimumLevel"] = "Warning",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddJobs(o => o.UseInMemoryStorage());
        services.AddJobsServer();
        services.Configure<BackgroundJobServerOptions>(configuration.GetSection("Jobs:Server"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<BackgroundJobServerOptions>>().Value.JobLog;

        Assert.That(options.MaxLinesPerJob, Is.EqualTo(50));
        Assert.That(options.MinimumLevel, Is.EqualTo(LogLevel.Warning));
    }
}
