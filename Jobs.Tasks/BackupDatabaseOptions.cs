using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Jobs.Tasks;

/// <summary>
/// Settings of <see cref="BackupDatabaseTask"/>, bound from <c>Tasks:backup-database</c>
/// (the section that also holds the task's <c>Cron</c>, <c>TimeZone</c>, <c>Queue</c> and <c>Enabled</c>).
/// </summary>
public sealed partial class BackupDatabaseOptions : AppDatabaseTaskOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = RecurringTaskCatalog.ConfigurationSection + ":" + BackupDatabaseTask.Id;

    /// <summary>The documented defaults.</summary>
    public BackupDatabaseOptions()
        : base(SectionName)
    {
    }

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
    public static BackupDatabaseOptions FromConfiguration(IConfiguration configuration) =>
        CreateBound<BackupDatabaseOptions>(configuration);

    private protected override void AddProblems(List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
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

        OptionChecks.Range(problems, SectionName, nameof(KeepLast), KeepLast, 1, 10_000);
        if (FilePrefix is not null && !ValidPrefix().IsMatch(FilePrefix))
        {
            problems.Add($"'{SectionName}:FilePrefix' must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, was '{FilePrefix}'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    internal static partial Regex ValidPrefix();
}
