using Jobs.Common;
using Jobs.Server;
using Jobs.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Jobs.Tests.ServerHost;

[TestFixture]
public sealed class JobAssemblyLoaderTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "jobs-assemblies-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void ConfiguredPaths_ReadsAListOrASinglePath()
    {
        var list = Configuration(("Jobs:Server:JobAssemblies:0", "a.dll"), ("Jobs:Server:JobAssemblies:1", "/opt/app/b.dll"));
        var single = Configuration(("Jobs:Server:JobAssemblies", "c.dll"));

        Assert.Multiple(() =>
        {
            Assert.That(JobAssemblyLoader.ConfiguredPaths(list), Is.EqualTo(new[] { "a.dll", "/opt/app/b.dll" }));
            Assert.That(JobAssemblyLoader.ConfiguredPaths(single), Is.EqualTo(new[] { "c.dll" }));
            Assert.That(JobAssemblyLoader.ConfiguredPaths(Configuration()), Is.Empty);
        });
    }

    [Test]
    public void Load_LoadsNothing_WhenNothingIsConfigured() =>
        Assert.That(JobAssemblyLoader.Load(Configuration()), Is.Empty);

    [Test]
    public void Load_NamesEveryMissingFileWithTheKeyAndTheFullPath_WhenFilesDoNotExist()
    {
        var absolute = Path.Combine(_directory, "gone.dll");

        var error = Assert.Throws<InvalidOperationException>(() =>
            JobAssemblyLoader.Load(["jobs/Billing.Jobs.dll", absolute, " "], _directory));

        Assert.That(error!.Message, Does.Contain("Jobs:Server:JobAssemblies:0: the job assembly 'jobs/Billing.Jobs.dll' does not exist")
            .And.Contain($"looked at '{Path.Combine(_directory, "jobs", "Billing.Jobs.dll")}'")
            .And.Contain($"content root '{_directory}'")
            .And.Contain($"Jobs:Server:JobAssemblies:1: the job assembly '{absolute}' does not exist.")
            .And.Contain("Jobs:Server:JobAssemblies:2 is empty"));
    }

    [Test]
    public void Load_RefusesAFileThatIsNotAnAssembly()
    {
        File.WriteAllText(Path.Combine(_directory, "notes.dll"), "not a .NET assembly");

        var error = Assert.Throws<InvalidOperationException>(() => JobAssemblyLoader.Load(["notes.dll"], _directory));

        Assert.That(error!.Message, Does.Contain($"'{Path.Combine(_directory, "notes.dll")}' is not a .NET assembly"));
    }

    [Test]
    public void Load_ReadsRelativePathsFromTheContentRoot_AndKeepsTheAssemblyTheServerAlreadyHas()
    {
        // Jobs.Tests.Host is loaded in this process already: the copy next to it is the same assembly by name.
        var hostDll = typeof(FailsOnceJob).Assembly.Location;
        var configuration = Configuration(
            (HostDefaults.ContentRootKey, Path.GetDirectoryName(hostDll)!),
            ("Jobs:Server:JobAssemblies:0", Path.GetFileName(hostDll)));

        var loaded = JobAssemblyLoader.Load(configuration);

        Assert.Multiple(() =>
        {
            Assert.That(loaded, Is.EqualTo(new[] { typeof(FailsOnceJob).Assembly }));
            Assert.That(TypeNames.Resolve(TypeNames.Of(typeof(FailsOnceJob))), Is.EqualTo(typeof(FailsOnceJob)));
        });
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
