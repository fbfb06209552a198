namespace Jobs.Tests;

/// <summary>
/// The PostgreSQL database of a test run: <c>scripts/test.sh</c> starts a throwaway cluster and exports its
/// connection string as <c>JOBS_TEST_CONNECTION</c>. Without it (a plain <c>dotnet test</c>) tests that need the
/// database are ignored, except under CI, where a missing database is a failure rather than a silent skip.
/// </summary>
internal static class TestDatabase
{
    public const string ConnectionVariable = "JOBS_TEST_CONNECTION";

    /// <summary>The connection string; ignores (or, when <c>CI</c> is set, fails) the calling test when there is none.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(ConnectionVariable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            var message = $"{ConnectionVariable} is not set: run the tests through scripts/test.sh, which starts PostgreSQL.";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
            return string.Empty;
        }
    }
}
