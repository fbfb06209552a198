using Jobs.PostgreSql;
using Jobs.Storage;

namespace Jobs.Tests.PostgreSql;

public sealed class PostgreSqlStorageOptionsTests
{
    [Test]
    public void Defaults_AreDocumentedValues()
    {
        var options = new PostgreSqlStorageOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.SchemaName, Is.EqualTo("jobs"));
            Assert.That(options.PrepareSchemaIfNecessary, Is.True);
            Assert.That(options.JobRetention, Is.EqualTo(TimeSpan.FromDays(1)));
            Assert.That(options.TaskStatisticsRetention, Is.EqualTo(TimeSpan.FromDays(400)));
            Assert.That(options.DistributedLockPollInterval, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(options.TransientRetryAttempts, Is.EqualTo(12));
            Assert.That(options.TransientRetryBaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(options.TransientRetryMaxDelay, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.NotificationReconnectDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.MaxAutoPrepare, Is.EqualTo(64));
            Assert.That(options.CounterAggregationBatchSize, Is.EqualTo(50_000));
        });
        Assert.DoesNotThrow(options.Validate);
    }

    [TestCase("Jobs")]
    [TestCase("jobs; drop table x")]
    [TestCase("1jobs")]
    [TestCase("")]
    public void Validate_Throws_WhenSchemaNameIsNotASimpleIdentifier(string schema)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = schema };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain("SchemaName"));
    }

    [Test]
    public void Validate_Throws_WhenRetentionIsNotPositive()
    {
        var options = new PostgreSqlStorageOptions { JobRetention = TimeSpan.Zero };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(36_501)]
    public void Validate_Throws_WhenTaskStatisticsRetentionIsNotPositiveOrAbove100Years(int days)
    {
        var options = new PostgreSqlStorageOptions { TaskStatisticsRetention = TimeSpan.FromDays(days) };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.That(ex!.Message, Does.Contain(nameof(PostgreSqlStorageOptions.TaskStatisticsRetention)));
    }

    [Test]
    public async Task UsePostgreSqlStorage_RegistersPostgreSqlStorageWithConfiguredOptions_WhenFactoryRuns()
    {
        var options = new JobsOptions().UsePostgreSqlStorage("Host=localhost", o => o.SchemaName = "custom");
        var services = new Moq.Mock<IServiceProvider>().Object;

        await using var storage = options.StorageFactory!(services);

        Assert.That(storage, Is.TypeOf<PostgreSqlJobStorage>());
        Assert.That(((PostgreSqlJobStorage)storage).Schema, Is.EqualTo("\"custom\""));
    }

    [Test]
    public void UsePostgreSqlStorage_Throws_WhenSchemaNameIsInvalid()
    {
        Assert.Throws<ArgumentException>(() => new JobsOptions().UsePostgreSqlStorage("Host=localhost", o => o.SchemaName = "Bad Name"));
    }

    [Test]
    public void IsTransient_IsTrue_ForServerShutdownAndFalse_ForOtherErrors()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PostgreSqlResilience.IsTransient(new Npgsql.PostgresException("terminating", "FATAL", "FATAL", "57P01")), Is.True);
            Assert.That(PostgreSqlResilience.IsTransient(new Npgsql.PostgresException("conn", "FATAL", "FATAL", "08006")), Is.True);
            Assert.That(PostgreSqlResilience.IsTransient(new Npgsql.PostgresException("syntax", "ERROR", "ERROR", "42601")), Is.False);
            Assert.That(PostgreSqlResilience.IsTransient(new InvalidOperationException()), Is.False);
            Assert.That(PostgreSqlResilience.IsTransient(new DistributedLockTimeoutException("r", TimeSpan.Zero)), Is.False);
        });
    }
}
