using System.Text.Json;
using Jobs.Tests.Cli;

namespace Jobs.Tests.ServerHost;

/// <summary>
/// Jobs.Server as a real process with <c>Logging__Console__FormatterName=json</c>: every console line is one JSON object that
/// a log shipper can read, with the event id, level, category and the message's named values.
/// </summary>
[TestFixture]
public sealed class JsonConsoleLogTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Test]
    public async Task Run_WritesEveryConsoleLineAsJson_WhenTheJsonFormatterIsConfigured()
    {
        await using var server = CliProcess.Start("json-logs", ["run"], CliProcess.Environment(
            ("ConnectionStrings__Jobs", string.Empty),
            ("Logging__Console__FormatterName", "json"),
            ("Logging__Console__FormatterOptions__IncludeScopes", "true"),
            ("ASPNETCORE_URLS", "http://127.0.0.1:0")));

        using (var deadline = new CancellationTokenSource(Patience))
        {
            while (!server.Output.Contains("Now listening on", StringComparison.Ordinal) && !server.HasExited)
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(server.HasExited, Is.False, server.Describe());
        var entries = new List<JsonElement>();
        foreach (var line in lines)
        {
            Assert.That(() => entries.Add(JsonDocument.Parse(line).RootElement.Clone()), Throws.Nothing, $"not a JSON line: {line}");
        }

        var inMemory = entries.Single(e => e.GetProperty("EventId").GetInt32() == 9001);
        var taskSwitchedOff = entries.First(e => e.GetProperty("EventId").GetInt32() == 9005);
        var listening = entries.Single(e => e.GetProperty("Message").GetString()!.StartsWith("Now listening on: http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(inMemory.GetProperty("LogLevel").GetString(), Is.EqualTo("Warning"));
            Assert.That(inMemory.GetProperty("Category").GetString(), Is.EqualTo("Jobs.Server"));
            Assert.That(inMemory.GetProperty("Message").GetString(), Does.StartWith("No database configured"));
            Assert.That(inMemory.GetProperty("Scopes").ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(taskSwitchedOff.GetProperty("State").GetProperty("TaskId").GetString(), Is.Not.Empty, "the message's named value");
            Assert.That(listening.GetProperty("Category").GetString(), Is.EqualTo("Microsoft.Hosting.Lifetime"));
        });
    }
}
