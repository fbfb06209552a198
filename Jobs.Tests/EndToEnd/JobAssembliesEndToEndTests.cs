namespace Jobs.Tests.EndToEnd;

/// <summary><c>Jobs.Server</c> with <c>Jobs:Server:JobAssemblies</c> naming a file that is not there: it must not start without the jobs it was told to run.</summary>
[TestFixture]
public sealed class JobAssembliesEndToEndTests : EndToEndTestBase
{
    [Test]
    public async Task JobsServer_StopsAtStartNamingTheFile_WhenAJobAssemblyIsMissing()
    {
        var server = StartJobsServer("jobs-server-missing-assembly", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Jobs"] = ConnectionString,
            ["Jobs__PostgreSql__SchemaName"] = Schema,
            ["Jobs__Server__JobAssemblies__0"] = "jobs/Billing.Jobs.dll",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });

        Assert.That(await server.WaitForExitAsync(Patience), Is.True, $"Jobs.Server stops{Environment.NewLine}{server.Describe()}");
        var expectedPath = Path.Combine(Path.GetDirectoryName(Binaries.JobsServer)!, "jobs", "Billing.Jobs.dll");
        Assert.Multiple(() =>
        {
            Assert.That(server.ExitCode, Is.Not.Zero, server.Describe());
            Assert.That(server.Output, Does.Contain("Jobs:Server:JobAssemblies:0: the job assembly 'jobs/Billing.Jobs.dll' does not exist"));
            Assert.That(server.Output, Does.Contain($"looked at '{expectedPath}'"), "the path is read from the content root");
            Assert.That(server.Output, Does.Not.Contain("Application started"));
        });
    }
}
