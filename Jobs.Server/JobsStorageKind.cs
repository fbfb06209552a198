namespace Jobs.Server;

/// <summary>Which storage the host runs on, chosen from <c>ConnectionStrings:Jobs</c>.</summary>
public enum JobsStorageKind
{
    InMemory,
    PostgreSql,
}
