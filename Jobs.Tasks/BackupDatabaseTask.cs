using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Backs up the application database with <c>pg_dump</c> (daily at 03:00 UTC by default) into a time-stamped
/// file of <see cref="BackupDatabaseOptions.Folder"/>, then keeps only the newest
/// <see cref="BackupDatabaseOptions.KeepLast"/> backups of its own name pattern. pg_dump writes to a
/// <c>.partial</c> name that is renamed only when it succeeded, so a failed or cancelled dump leaves no file
/// that looks like a backup. The password goes to pg_dump in its environment (<c>PGPASSWORD</c>), never on
/// its command line, where other users of the machine could read it.
/// </summary>
[RecurringTask(Id, "0 3 * * *")]
public sealed class BackupDatabaseTask : ConfiguredTask<BackupDatabaseOptions>
{
    /// <summary>The recurring job id, also the configuration key under <c>Tasks:</c>.</summary>
    public const string Id = "backup-database";

    public BackupDatabaseTask(IOptions<BackupDatabaseOptions> options, TimeProvider timeProvider, ILogger<BackupDatabaseTask> logger)
        : base(options, timeProvider, logger)
    {
    }

    /// <summary>Dumps the database, then applies the retention; returns the new file and what was deleted.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">pg_dump was not found, could not start, or failed (its error output is in the message).</exception>
    /// <exception cref="OperationCanceledException">The token fired; pg_dump was killed and its partial output deleted.</exception>
    public async Task<BackupDatabaseResult> RunAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        var connection = new NpgsqlConnectionStringBuilder(Options.ConnectionString);
        // As libpq does: no database named means the one named after the user.
        var database = connection.Database ?? connection.Username ?? Environment.UserName;
        var pgDump = ResolvePgDump();
        var folder = Path.GetFullPath(Options.Folder);
        Directory.CreateDirectory(folder);

        var names = new BackupFileNames(Options.FilePrefix ?? BackupFileNames.PrefixFor(database), Options.Format);
        var finalPath = Path.Combine(folder, names.Create(Clock.GetUtcNow()));
        var partialPath = finalPath + BackupFileNames.PartialSuffix;
        Log.BackupStarting(Logger, database, pgDump, finalPath);

        try
        {
            await DumpAsync(pgDump, connection, database, partialPath, cancellationToken);
            File.Move(partialPath, finalPath);
        }
        finally
        {
            DeleteQuietly(partialPath);
        }

        var size = new FileInfo(finalPath).Length;
        var deleted = ApplyRetention(folder, names);
        Log.BackupFinished(Logger, database, finalPath, size, deleted.Count);
        return new BackupDatabaseResult(finalPath, size, deleted);
    }

    private string ResolvePgDump()
    {
        if (Options.PgDumpPath is { } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException(
                    $"pg_dump not found at '{configured}' ('{BackupDatabaseOptions.SectionName}:PgDumpPath'). Install the PostgreSQL client tools or fix the path.");
        }

        return PgDumpLocator.Find()
            ?? throw new InvalidOperationException(
                $"pg_dump was found neither on PATH nor in /usr/lib/postgresql/*/bin. Install the PostgreSQL client tools (Debian: postgresql-client) or set '{BackupDatabaseOptions.SectionName}:PgDumpPath'.");
    }

    private async Task DumpAsync(string pgDump, NpgsqlConnectionStringBuilder connection, string database, string outputPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(pgDump)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--format=" + Options.Format switch { BackupFormat.Plain => "p", BackupFormat.Tar => "t", _ => "c" });
        start.ArgumentList.Add("--file=" + outputPath);
        start.ArgumentList.Add("--no-password");
        start.ArgumentList.Add("--dbname=" + database);
        if (!string.IsNullOrEmpty(connection.Host))
        {
            start.ArgumentList.Add("--host=" + connection.Host);
        }

        start.ArgumentList.Add("--port=" + connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(connection.Username))
        {
            start.ArgumentList.Add("--username=" + connection.Username);
        }

        // Only the child's environment holds the password; without one, a PGPASSWORD of this process must not leak in.
        start.Environment.Remove("PGPASSWORD");
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        start.Environment["PGSSLMODE"] = connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        start.Environment["PGAPPNAME"] = "jobs " + Id;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"pg_dump could not be started from '{pgDump}': {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await using (cancellationToken.Register(() => Kill(process)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        await output;
        var stderr = (await errors).Trim();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"pg_dump of database '{database}' failed with exit code {process.ExitCode}: {(stderr.Length > 0 ? stderr : "(no error output)")}");
        }

        if (!File.Exists(outputPath))
        {
            throw new InvalidOperationException($"pg_dump of database '{database}' reported success but wrote no file at '{outputPath}'.");
        }
    }

    private List<string> ApplyRetention(string folder, BackupFileNames names)
    {
        var backups = new DirectoryInfo(folder).EnumerateFiles()
            .Select(file => (File: file, Stamp: names.TimeStampOf(file.Name)))
            .Where(backup => backup.Stamp is not null)
            .OrderByDescending(backup => backup.Stamp, StringComparer.Ordinal)
            .ThenByDescending(backup => backup.File.LastWriteTimeUtc)
            .ThenByDescending(backup => backup.File.Name, StringComparer.Ordinal)
            .ToList();

        var deleted = new List<string>();
        foreach (var (file, _) in backups.Skip(Options.KeepLast))
        {
            try
            {
                file.Delete();
                deleted.Add(file.FullName);
                Log.OldBackupDeleted(Logger, file.FullName);
            }
            catch (IOException ex)
            {
                Log.OldBackupNotDeleted(Logger, ex, file.FullName);
            }
            catch (UnauthorizedAccessException ex)
            {
                Log.OldBackupNotDeleted(Logger, ex, file.FullName);
            }
        }

        return deleted;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Nothing left to clean up, or the folder went away; the partial name never counts as a backup.
        }
    }
}
