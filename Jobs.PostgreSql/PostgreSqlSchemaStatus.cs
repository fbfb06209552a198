using System.Globalization;

namespace Jobs.PostgreSql;

/// <summary>
/// How the migrations applied to a schema compare with the ones this version of Jobs.PostgreSql embeds
/// (see <see cref="PostgreSqlJobStorage.GetSchemaStatusAsync"/>).
/// </summary>
/// <param name="Schema">The schema name, as configured.</param>
/// <param name="Exists">Whether the schema holds a migration table at all.</param>
/// <param name="AppliedVersions">Migration versions recorded in the schema, ascending.</param>
/// <param name="Missing">Embedded migrations (<c>NNN_name</c>) the schema has not seen, ascending.</param>
/// <param name="RequiredVersion">The newest embedded migration version.</param>
public sealed record PostgreSqlSchemaStatus(
    string Schema,
    bool Exists,
    IReadOnlyList<int> AppliedVersions,
    IReadOnlyList<string> Missing,
    int RequiredVersion)
{
    /// <summary>The newest applied version, or null when none is.</summary>
    public int? AppliedVersion => AppliedVersions.Count == 0 ? null : AppliedVersions[^1];

    /// <summary>Every embedded migration is applied: the storage can work on this schema.</summary>
    public bool IsCurrent => Exists && Missing.Count == 0;

    /// <summary>The schema has migrations this version does not know: a newer server migrated it.</summary>
    public bool IsAhead => AppliedVersion > RequiredVersion;

    /// <summary>One sentence for operators: what the schema holds and, when it is behind, what is missing and how to fix it.</summary>
    public string Description
    {
        get
        {
            var required = RequiredVersion.ToString(CultureInfo.InvariantCulture);
            if (!Exists)
            {
                return $"Schema \"{Schema}\" has no migrations (it does not exist yet); this server needs migration {required}. " +
                    "Start a server with Jobs:PostgreSql:PrepareSchemaIfNecessary=true to create it.";
            }

            var applied = AppliedVersion?.ToString(CultureInfo.InvariantCulture) ?? "none";
            if (Missing.Count > 0)
            {
                return $"Schema \"{Schema}\" is at migration {applied} but this server needs {required}: missing {string.Join(", ", Missing)}. " +
                    "Start a server with Jobs:PostgreSql:PrepareSchemaIfNecessary=true to apply them.";
            }

            return IsAhead
                ? $"Schema \"{Schema}\" is at migration {applied}, newer than this server's {required} (a newer server migrated it)."
                : $"Schema \"{Schema}\" is at migration {applied}, as this server needs.";
        }
    }
}
