namespace Jobs.Tasks;

/// <summary>What one run of <see cref="BackupDatabaseTask"/> did; stored with the succeeded job.</summary>
/// <param name="FilePath">Full path of the new backup file.</param>
/// <param name="SizeBytes">Its size in bytes.</param>
/// <param name="DeletedFiles">Older backups removed because more than <see cref="BackupDatabaseOptions.KeepLast"/> were kept.</param>
public sealed record BackupDatabaseResult(string FilePath, long SizeBytes, IReadOnlyList<string> DeletedFiles);
