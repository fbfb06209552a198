using Jobs.Server.Commands;

namespace Jobs.Tests.Cli;

/// <summary>How <c>enqueue</c> turns its JSON arguments into the arguments of a task's method.</summary>
[TestFixture]
public sealed class CliTaskArgumentsTests
{
    [Test]
    public void Bind_TakesAnArrayInParameterOrder_AndPutsTheTokenPlaceholderInPlace()
    {
        var values = TaskArguments.Bind(Method(nameof(SampleTask.RunAsync)), """[3, "report", ["a", "b"]]""");

        Assert.That(values, Has.Length.EqualTo(4));
        Assert.That(values[0], Is.EqualTo(3));
        Assert.That(values[1], Is.EqualTo("report"));
        Assert.That(values[2], Is.EqualTo(new[] { "a", "b" }));
        Assert.That(values[3], Is.EqualTo(CancellationToken.None));
    }

    [Test]
    public void Bind_TakesAnObjectByParameterName_IgnoringCase()
    {
        var values = TaskArguments.Bind(Method(nameof(SampleTask.RunAsync)), """{"Name": "report", "count": 3, "tags": []}""");

        Assert.That(values[0], Is.EqualTo(3));
        Assert.That(values[1], Is.EqualTo("report"));
        Assert.That(values[2], Is.Empty);
    }

    [Test]
    public void Bind_UsesTheDefaultValue_WhenAnOptionalParameterIsLeftOut()
    {
        var values = TaskArguments.Bind(Method(nameof(SampleTask.WithDefaultAsync)), null);

        Assert.That(values, Is.EqualTo(new object?[] { 7, CancellationToken.None }));
    }

    [Test]
    public void Bind_NamesTheArgumentAndItsType_WhenAValueDoesNotDeserialize()
    {
        var error = Assert.Throws<CommandException>(() => TaskArguments.Bind(Method(nameof(SampleTask.RunAsync)), """["three", "report", []]"""));

        Assert.That(error!.Message, Does.Contain("'count'").And.Contain("Int32").And.Contain("\"three\""));
    }

    [Test]
    public void Bind_NamesTheMissingArgument_WhenARequiredOneIsNotGiven()
    {
        var error = Assert.Throws<CommandException>(() => TaskArguments.Bind(Method(nameof(SampleTask.RunAsync)), """{"count": 1}"""));

        Assert.That(error!.Message, Does.Contain("'name'").And.Contain("missing"));
    }

    [Test]
    public void Bind_NamesTheUnknownParameter_WhenTheObjectHasOne()
    {
        var error = Assert.Throws<CommandException>(() => TaskArguments.Bind(Method(nameof(SampleTask.RunAsync)), """{"count": 1, "name": "x", "tags": [], "colour": "red"}"""));

        Assert.That(error!.Message, Does.Contain("no parameter 'colour'").And.Contain("count, name, tags"));
    }

    [Test]
    public void Bind_SaysHowManyArgumentsTheMethodTakes_WhenTheArrayHoldsMore()
    {
        var error = Assert.Throws<CommandException>(() => TaskArguments.Bind(Method(nameof(SampleTask.WithDefaultAsync)), "[1, 2]"));

        Assert.That(error!.Message, Does.Contain("takes 1 argument").And.Contain("holds 2"));
    }

    [TestCase("42")]
    [TestCase("\"text\"")]
    public void Bind_AsksForAnArrayOrAnObject_WhenGivenAnotherJsonValue(string json)
    {
        var error = Assert.Throws<CommandException>(() => TaskArguments.Bind(Method(nameof(SampleTask.WithDefaultAsync)), json));

        Assert.That(error!.Message, Does.Contain("JSON array in parameter order or a JSON object by parameter name"));
    }

    [Test]
    public void Bind_SaysTheJsonIsInvalid_WhenItDoesNotParse()
    {
        var error = Assert.Throws<CommandException>(() => TaskArguments.Bind(Method(nameof(SampleTask.RunAsync)), "[1,"));

        Assert.That(error!.Message, Does.StartWith("The arguments are not valid JSON"));
    }

    private static System.Reflection.MethodInfo Method(string name) => typeof(SampleTask).GetMethod(name)!;

    private sealed class SampleTask
    {
        public Task RunAsync(int count, string name, string[] tags, CancellationToken cancellationToken) =>
            Task.FromResult((count, name, tags, cancellationToken));

        public Task WithDefaultAsync(int count = 7, CancellationToken cancellationToken = default) =>
            Task.FromResult((count, cancellationToken));
    }
}
