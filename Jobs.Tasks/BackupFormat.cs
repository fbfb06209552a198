namespace Jobs.Tasks;

/// <summary>The <c>pg_dump</c> output format of <see cref="BackupDatabaseTask"/>.</summary>
public enum BackupFormat
{
    /// <summary><c>-Fc</c>: compressed, restored selectively with <c>pg_restore</c>. File extension <c>.dump</c>.</summary>
    Custom,

    /// <summary><c>-Fp</c>: a plain SQL script, restored with <c>psql</c>. File extension <c>.sql</c>.</summary>
    Plain,

    /// <summary><c>-Ft</c>: a tar archive, restored with <c>pg_restore</c>. File extension <c>.tar</c>.</summary>
    Tar,
}
