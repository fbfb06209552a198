using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Tests.Cli;

/// <summary>The command line without a database: bad usage (exit 2), no database configured (exit 1), hash-password.</summary>
[TestFixture]
public sealed class CliUsageTests
{
    [TestCase(new[] { "lst" }, "'lst' is not a command")]
    [TestCase(new[] { "trigger" }, "Required argument 'id' missing")]
    [TestCase(new[] { "enqueue" }, "Required argument 'task' missing")]
    [TestCase(new[] { "list", "--jsn" }, "Unknown option '--jsn'")]
    [TestCase(new[] { "list", "-j" }, "Unknown option '-j'")]
    [TestCase(new[] { "trigger", "a", "b" }, "Unexpected argument 'b'")]
    [TestCase(new[] { "send-test-email", "--to", "not-an-address" }, "'not-an-address' is not an e-mail address")]
    public async Task Command_ExitsWith2AndSaysWhatIsWrong_WhenTheCommandLineIsWrong(string[] args, string problem)
    {
        var result = await CliProcess.RunAsync(args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain(problem).And.Contain("--help"), result.ToString());
        Assert.That(result.Output, Is.Empty, "nothing ran");
    }

    [TestCase("list")]
    [TestCase("servers")]
    [TestCase("migrate")]
    [TestCase("trigger", "cleanup-expired-sessions")]
    [TestCase("enqueue", "cleanup-expired-sessions")]
    public async Task Command_ExitsWith1AndSaysSo_WhenNoJobsDatabaseIsConfigured(params string[] args)
    {
        var result = await CliProcess.RunAsync(args);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("No jobs database is configured").And.Contain("ConnectionStrings:Jobs"), result.ToString());
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace for an expected error");
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task MigrateApp_ExitsWith1AndSaysSo_WhenNoDatabaseIsConfigured()
    {
        var result = await CliProcess.RunAsync(["migrate-app"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("No application database is configured").And.Contain("ConnectionStrings:App"), result.ToString());
    }

    [Test]
    public async Task List_ExitsWith1WithoutStackTrace_WhenTheDatabaseCannotBeReached()
    {
        var port = ClosedPort();

        var result = await CliProcess.RunAsync(["list", $"--ConnectionStrings:Jobs=Host=127.0.0.1;Port={port};Username=jobs;Password=x;Database=jobs"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("Cannot use the database").And.Contain($"127.0.0.1:{port}"), result.ToString());
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task List_ExitsWith1_WhenTheConnectionStringDoesNotParse()
    {
        var result = await CliProcess.RunAsync(["list", "--ConnectionStrings:Jobs=this is no connection string"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("ConnectionStrings:Jobs is not a valid PostgreSQL connection string"), result.ToString());
    }

    [Test]
    public async Task HashPassword_PrintsAHashThatPasswordHasherVerifies_FromStandardInput()
    {
        var first = await CliProcess.RunAsync(["hash-password"], input: "correct horse battery staple\n");
        var second = await CliProcess.RunAsync(["hash-password"], input: "correct horse battery staple\n");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var hash = first.Output.Trim();
        Assert.That(first.Output.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "the hash alone on stdout");
        Assert.That(first.Output, Does.Not.Contain("correct horse"));
        Assert.That(Convert.FromBase64String(hash)[0], Is.EqualTo(0x01), "the v3 format marker");
        var hasher = new PasswordHasher<string>();
        Assert.That(hasher.VerifyHashedPassword(string.Empty, hash, "correct horse battery staple"), Is.EqualTo(PasswordVerificationResult.Success));
        Assert.That(hasher.VerifyHashedPassword(string.Empty, hash, "correct horse battery stapler"), Is.EqualTo(PasswordVerificationResult.Failed));
        Assert.That(second.Output.Trim(), Is.Not.EqualTo(hash), "a random salt per hash");
    }

    [Test]
    public async Task HashPassword_ExitsWith1_WhenStandardInputIsEmpty()
    {
        var result = await CliProcess.RunAsync(["hash-password"], input: string.Empty);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("No password was given"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task HashPassword_RefusesAPasswordInTheArguments()
    {
        var result = await CliProcess.RunAsync(["hash-password", "secret"]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("standard input"), result.ToString());
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Help_ListsEveryCommand()
    {
        var result = await CliProcess.RunAsync(["--help"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("run").And.Contain("migrate-app").And.Contain("list").And.Contain("trigger <id>")
            .And.Contain("enqueue <task>").And.Contain("servers").And.Contain("send-test-email").And.Contain("hash-password"));
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
