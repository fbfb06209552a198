namespace Jobs.TestHost;

/// <summary>Where the probe jobs write: the test database and the schema of the test that started this host.</summary>
public sealed class ProbeSettings
{
    public ProbeSettings(string connectionString, string schemaName, string serverName)
    {
        ConnectionString = connectionString;
        SchemaName = schemaName;
        ServerName = serverName;
    }

    public string ConnectionString { get; }

    public string SchemaName { get; }

    public string ServerName { get; }
}
