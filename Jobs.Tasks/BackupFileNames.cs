using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Jobs.Tasks;

/// <summary>
/// The names of <see cref="BackupDatabaseTask"/>'s files: <c>{prefix}_{yyyy-MM-dd_HHmmss}_{8 hex}.{ext}</c> (UTC).
/// The random part keeps two runs in the same second apart; the pattern is what retention deletes, so
/// nothing else in the folder is ever touched.
/// </summary>
internal sealed class BackupFileNames
{
    /// <summary>A dump in progress carries this suffix; it is renamed to the final name only when pg_dump succeeded.</summary>
    public const string PartialSuffix = ".partial";

    private const string TimeFormat = "yyyy-MM-dd_HHmmss";

    private readonly string _prefix;
    private readonly string _extension;
    private readonly Regex _pattern;

    public BackupFileNames(string prefix, BackupFormat format)
    {
        _prefix = prefix;
        _extension = format switch
        {
            BackupFormat.Plain => "sql",
            BackupFormat.Tar => "tar",
            _ => "dump",
        };
        _pattern = new Regex(
            "^" + Regex.Escape(prefix) + @"_(\d{4}-\d{2}-\d{2}_\d{6})_[0-9a-f]{8}\." + _extension + "$",
            RegexOptions.CultureInvariant);
    }

    /// <summary>A new, unique file name for a backup started at <paramref name="startedAt"/>.</summary>
    public string Create(DateTimeOffset startedAt) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{_prefix}_{startedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.{_extension}");

    /// <summary>The sortable time stamp of a file name of this pattern, or null for any other file.</summary>
    public string? TimeStampOf(string fileName)
    {
        var match = _pattern.Match(fileName);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>A file name prefix made of the database name, with anything but letters, digits, '.', '_' and '-' replaced by '_'.</summary>
    public static string PrefixFor(string database)
    {
        var chars = database.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray();
        var prefix = new string(chars).TrimStart('.', '_', '-');
        return prefix.Length == 0 ? "backup" : prefix[..Math.Min(prefix.Length, 100)];
    }
}
