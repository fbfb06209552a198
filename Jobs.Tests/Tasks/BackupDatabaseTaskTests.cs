using System.Diagnostics;
using Jobs.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tests.Tasks;

/// <summary>Runs the task with the real pg_dump against a database of its own on the test run's PostgreSQL.</summary>
public sealed class BackupDatabaseTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 3, 0, 0, TimeSpan.Zero);

    private string _connectionString = "";
    private string _database = "";
    private string _root = "";

    [SetUp]
    public async Task SetUp()
    {
        _connectionString = TestDatabase.ConnectionString;
        _database = "backup_" + Guid.NewGuid().ToString("N")[..12];
        _root = Path.Combine(Path.GetTempPath(), "jobs-backup-tests-" + Guid.NewGuid().ToString("N"));
        await ExecuteAsync(_connectionString, $"CREATE DATABASE {_database}");
        await ExecuteAsync(DatabaseConnection(_database), "CREATE TABLE orders (id int PRIMARY KEY, note text); INSERT INTO orders SELECT i, 'order ' || i FROM generate_series(1, 50) i");
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_database.Length > 0 && _connectionString.Length > 0)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_connectionString, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_WritesACustomFormatDump_ThatPgRestoreCanList()
    {
        var folder = Path.Combine(_root, "daily");

        var result = await CreateSut(o => o.Folder = folder).RunAsync(CancellationToken.None);

        var listing = await RunAsync(PgBin("pg_restore"), "--list", result.FilePath);
        Assert.Multiple(() =>
        {
            Assert.That(Path.GetDirectoryName(result.FilePath), Is.EqualTo(folder));
            Assert.That(Path.GetFileName(result.FilePath), Does.Match($"^{_database}_2026-03-02_030000_[0-9a-f]{{8}}\\.dump$"));
            Assert.That(result.SizeBytes, Is.EqualTo(new FileInfo(result.FilePath).Length).And.GreaterThan(0));
            Assert.That(result.DeletedFiles, Is.Empty);
            Assert.That(listing.ExitCode, Is.Zero, listing.Error);
            Assert.That(listing.Output, Does.Contain("TABLE public orders").And.Contain("TABLE DATA public orders"));
            Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { result.FilePath }), "no partial file is left next to the backup");
        });
    }

    [Test]
    public async Task RunAsync_WritesAPlainSqlScript_WhenFormatIsPlain()
    {
        var result = await CreateSut(o => { o.Folder = _root; o.Format = BackupFormat.Plain; }).RunAsync(CancellationToken.None);

        Assert.That(result.FilePath, Does.EndWith(".sql"));
        Assert.That(await File.ReadAllTextAsync(result.FilePath), Does.Contain("CREATE TABLE public.orders"));
    }

    [Test]
    public async Task RunAsync_CreatesTheFolder_WhenItIsMissing()
    {
        var folder = Path.Combine(_root, "a", "b", "c");

        var result = await CreateSut(o => o.Folder = folder).RunAsync(CancellationToken.None);

        Assert.That(File.Exists(result.FilePath), Is.True);
        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_KeepsTheNewestBackups_AndLeavesOtherFilesAlone()
    {
        Directory.CreateDirectory(_root);
        var old = new[] { "2026-02-27_030000_0000000a", "2026-02-28_030000_0000000b", "2026-03-01_030000_0000000c", "2026-02-26_030000_0000000d" }
            .Select(stamp => Path.Combine(_root, $"{_database}_{stamp}.dump"))
            .ToList();
        var foreign = new[] { "notes.txt", $"other_2020-01-01_000000_0000000e.dump", $"{_database}_2020-01-01_000000_0000000f.sql", $"{_database}_manual.dump" }
            .Select(name => Path.Combine(_root, name))
            .ToList();
        foreach (var path in old.Concat(foreign))
        {
            await File.WriteAllTextAsync(path, "x");
        }

        var result = await CreateSut(o => { o.Folder = _root; o.KeepLast = 3; }).RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.DeletedFiles, Is.EquivalentTo(new[] { old[0], old[3] }), "the two oldest of this task's backups");
            Assert.That(Directory.GetFiles(_root), Is.EquivalentTo(new[] { result.FilePath, old[1], old[2] }.Concat(foreign)));
        });
    }

    [Test]
    public async Task RunAsync_TwoRunsAtOnce_WriteTwoBackups()
    {
        var sut = CreateSut(o => o.Folder = _root);

        var results = await Task.WhenAll(sut.RunAsync(CancellationToken.None), sut.RunAsync(CancellationToken.None));

        Assert.That(results[0].FilePath, Is.Not.EqualTo(results[1].FilePath));
        Assert.That(Directory.GetFiles(_root), Is.EquivalentTo(results.Select(r => r.FilePath)));
    }

    [Test]
    public void RunAsync_FailsWithPgDumpsError_AndLeavesNoFile_WhenTheDatabaseDoesNotExist()
    {
        var missing = DatabaseConnection("no_such_database_" + Guid.NewGuid().ToString("N")[..8]);
        var sut = CreateSut(o => { o.Folder = _root; o.ConnectionString = missing; });

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("pg_dump of database 'no_such_database_").And.Contain("exit code 1").And.Contain("does not exist"));
        Assert.That(Directory.GetFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void RunAsync_FailsNamingThePath_WhenPgDumpPathIsWrong()
    {
        var sut = CreateSut(o => { o.Folder = _root; o.PgDumpPath = "/nonexistent/bin/pg_dump"; });

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => sut.RunAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("pg_dump not found at '/nonexistent/bin/pg_dump'").And.Contain("Tasks:backup-database:PgDumpPath"));
        Assert.That(Directory.Exists(_root) ? Directory.GetFileSystemEntries(_root) : [], Is.Empty);
    }

    [Test]
    public async Task RunAsync_PassesThePasswordInTheEnvironment_NeverOnTheCommandLine()
    {
        var script = await FakePgDumpAsync("""
            printf '%s\n' "$@" > "$(dirname "$0")/args"
            printf '%s' "$PGPASSWORD" > "$(dirname "$0")/password"
            echo dump > "$out"
            """);
        var connection = new NpgsqlConnectionStringBuilder(DatabaseConnection(_database)) { Password = "s3cret-pw" }.ConnectionString;

        var result = await CreateSut(o => { o.Folder = Path.Combine(_root, "out"); o.PgDumpPath = script; o.ConnectionString = connection; })
            .RunAsync(CancellationToken.None);

        var args = await File.ReadAllTextAsync(Path.Combine(_root, "args"));
        Assert.Multiple(async () =>
        {
            Assert.That(args, Does.Not.Contain("s3cret-pw"));
            Assert.That(args, Does.Contain("--format=c").And.Contain("--no-password").And.Contain("--dbname=" + _database));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "password")), Is.EqualTo("s3cret-pw"));
            Assert.That(await File.ReadAllTextAsync(result.FilePath), Is.EqualTo("dump\n"));
        });
    }

    [Test]
    public async Task RunAsync_KillsPgDump_AndLeavesNoFile_WhenCanceled()
    {
        var script = await FakePgDumpAsync("""
            echo $$ > "$(dirname "$0")/pid"
            echo partial > "$out"
            exec sleep 600
            """);
        var folder = Path.Combine(_root, "out");
        using var cancellation = new CancellationTokenSource();

        var run = CreateSut(o => { o.Folder = folder; o.PgDumpPath = script; }).RunAsync(cancellation.Token);
        await WaitUntilAsync(() => Directory.Exists(folder) && Directory.GetFiles(folder).Length > 0 && File.Exists(Path.Combine(_root, "pid")));
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(_root, "pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cancellation.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.GetFiles(folder), Is.Empty);
        Assert.That(IsRunning(pid), Is.False, "pg_dump was killed");
    }

    private BackupDatabaseTask CreateSut(Action<BackupDatabaseOptions> configure)
    {
        var options = new BackupDatabaseOptions { ConnectionString = DatabaseConnection(_database) };
        configure(options);
        return new BackupDatabaseTask(Options.Create(options), new FixedTimeProvider(Now), NullLogger<BackupDatabaseTask>.Instance);
    }

    private string DatabaseConnection(string database) =>
        new NpgsqlConnectionStringBuilder(_connectionString) { Database = database }.ConnectionString;

    /// <summary>A shell script standing in for pg_dump; <c>$out</c> holds the value of its <c>--file=</c> argument.</summary>
    private async Task<string> FakePgDumpAsync(string body)
    {
        Directory.CreateDirectory(_root);
        var path = Path.Combine(_root, "fake-pg_dump");
        await File.WriteAllTextAsync(path, "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --file=*) out=\"${a#--file=}\";; esac; done\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static string PgBin(string tool)
    {
        var bin = Environment.GetEnvironmentVariable("JOBS_TEST_PG_BIN");
        return bin is { Length: > 0 } ? Path.Combine(bin, tool) : tool;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
