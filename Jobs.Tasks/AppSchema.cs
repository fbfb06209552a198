namespace Jobs.Tasks;

/// <summary>The example application schema the tasks work on (<c>Sql/app-schema.sql</c>, embedded in this assembly).</summary>
public static class AppSchema
{
    private const string ResourceName = "Jobs.Tasks.Sql.app-schema.sql";

    private static readonly Lazy<string> CachedScript = new(Load);

    /// <summary>
    /// The SQL script creating the example application tables and their indexes, idempotent. Names are unqualified:
    /// it creates them in the first schema of the connection's <c>search_path</c>.
    /// </summary>
    public static string Script => CachedScript.Value;

    private static string Load()
    {
        using var stream = typeof(AppSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(AppSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
