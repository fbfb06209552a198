using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="BackupDatabaseTask"/>, bound from <c>Tasks:backup-database</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed partial class BackupDatabaseOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + BackupDatabaseTask.Id;

    /// <summary>Npgsql connection string of the database to back up. Default: <c>ConnectionStrings:App</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder the backups are written to; created when missing. A relative path is read from the working directory. Default: <c>backups</c>.</summary>
    public string Folder { get; set; } = "backups";

    /// <summary>Path of the <c>pg_dump</c> executable. Default: <c>pg_dump</c> on <c>PATH</c>, else the newest <c>/usr/lib/postgresql/*/bin/pg_dump</c>.</summary>
    public string? PgDumpPath { get; set; }

    /// <summary>The dump format. Default: <see cref="BackupFormat.Custom"/> (<c>-Fc</c>).</summary>
    public BackupFormat Format { get; set; } = BackupFormat.Custom;

    /// <summary>How many backups (the newest, this run's included) are kept; older files of this task are deleted. Default: 7.</summary>
    public int KeepLast { get; set; } = 7;

    /// <summary>
    /// Start of the file names, <c>{FilePrefix}_{yyyy-MM-dd_HHmmss}_{random}.dump</c>; only files of this pattern
    /// are ever deleted. Letters, digits, '.', '_' or '-'. Default: the database name.
    /// </summary>
    public string? FilePrefix { get; set; }

    /// <summary>Binds <see cref="SectionName"/>, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public static BackupDatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new BackupDatabaseOptions();
        options.BindFrom(configuration);
        return options;
    }

    /// <summary>Applies <see cref="SectionName"/> and the <c>ConnectionStrings:App</c> fallback to this instance.</summary>
    public void BindFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(SectionName).Bind(this);
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            ConnectionString = configuration.GetConnectionString("App");
        }
    }

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> FindProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"No connection string: set '{SectionName}:ConnectionString' or 'ConnectionStrings:App'.");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"The connection string of '{SectionName}' is invalid: {ex.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(Folder))
        {
            problems.Add($"'{SectionName}:Folder' must name the folder the backups go to.");
        }
        else if (Folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"'{SectionName}:Folder' is not a valid path: '{Folder}'.");
        }

        if (PgDumpPath is not null && string.IsNullOrWhiteSpace(PgDumpPath))
        {
            problems.Add($"'{SectionName}:PgDumpPath' is empty; remove it to look pg_dump up on PATH and in /usr/lib/postgresql.");
        }

        if (!Enum.IsDefined(Format))
        {
            problems.Add($"'{SectionName}:Format' must be Custom, Plain or Tar, was '{Format}'.");
        }

        if (KeepLast is < 1 or > 10_000)
        {
            problems.Add($"'{SectionName}:KeepLast' must be from 1 to 10000, was {KeepLast}.");
        }

        if (FilePrefix is not null && !ValidPrefix().IsMatch(FilePrefix))
        {
            problems.Add($"'{SectionName}:FilePrefix' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, was '{FilePrefix}'.");
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem found by <see cref="FindProblems"/>.</summary>
    public void Validate()
    {
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    internal static partial Regex ValidPrefix();
}
