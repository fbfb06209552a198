using Jobs.PostgreSql;
using Jobs.States;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Jobs.Tests.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Tests.PostgreSql;

/// <summary>What the contract cannot see of job logs on PostgreSQL: the rows themselves.</summary>
[TestFixture]
public sealed class PostgreSqlJobLogTests
{
    private string _schema = null!;
    private PostgreSqlJobStorage _storage = null!;

    [SetUp]
    public async Task SetUp()
    {
        _schema = PostgreSqlTestDatabase.NewSchemaName();
        _storage = new PostgreSqlJobStorage(PostgreSqlTestDatabase.ConnectionString, new PostgreSqlStorageOptions { SchemaName = _schema });
        await _storage.InitializeAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _storage.DisposeAsync();
        await PostgreSqlTestDatabase.DropSchemaAsync(_schema);
    }

    [Test]
    public async Task DeleteExpiredJobsAsync_DeletesTheJobLogRows_WhenTheJobExpires()
    {
        var expiring = await EnqueueAsync();
        var kept = await EnqueueAsync();
        var now = DateTimeOffset.UtcNow;
        await _storage.AppendJobLogAsync(
            [
                new JobLogAppend(expiring, [new NewJobLogLine(now, LogLevel.Information, "a"), new NewJobLogLine(now, LogLevel.Information, "b")], DroppedLines: 5),
                new JobLogAppend(kept, [new NewJobLogLine(now, LogLevel.Information, "c")]),
            ],
            1,
            CancellationToken.None);
        var before = await CountRowsAsync();
        await _storage.ChangeStatesAsync([new StateChange(expiring, new DeletedState())], CancellationToken.None);

        await _storage.DeleteExpiredJobsAsync(now.AddDays(3650), 100, CancellationToken.None);

        Assert.That(before, Is.EqualTo(3), "a kept line and a marker for the first job, one line for the second");
        Assert.That(await CountRowsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task AppendJobLogAsync_StoresTheLine_WhenItHoldsANulCharacter()
    {
        var id = await EnqueueAsync();

        await _storage.AppendJobLogAsync([new JobLogAppend(id, [new NewJobLogLine(DateTimeOffset.UtcNow, LogLevel.Information, "a\0b")])], 10, CancellationToken.None);

        Assert.That((await _storage.Monitoring.GetJobLogAsync(id, 0, 10, CancellationToken.None)).Single().Message, Is.EqualTo("a\uFFFDb"));
    }

    private Task<string> EnqueueAsync() =>
        _storage.CreateJobAsync(new NewJob(ContractSampleJob.Run(), "default", new EnqueuedState()), CancellationToken.None);

    private async Task<long> CountRowsAsync()
    {
        await using var connection = await PostgreSqlTestDatabase.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{_schema}\".job_log", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
