using System.Linq.Expressions;
using Jobs.Common;

namespace Jobs.Tests.Core;

public sealed class JobExpressionTests
{
    [Test]
    public void Parse_EvaluatesCapturedArguments_WhenLambdaCallsInstanceMethod()
    {
        var id = 42;
        Expression<Action<Sample>> call = s => s.Run(id, "x");

        var job = JobExpression.Parse(call, typeof(Sample));

        Assert.Multiple(() =>
        {
            Assert.That(job.Type, Is.EqualTo(typeof(Sample)));
            Assert.That(job.Method.Name, Is.EqualTo(nameof(Sample.Run)));
            Assert.That(job.Args, Is.EqualTo(new object?[] { 42, "x" }));
        });
    }

    [Test]
    public void Parse_Throws_WhenBodyIsNotAMethodCall()
    {
        Expression<Func<Sample, int>> notACall = s => s.Value;

        var ex = Assert.Throws<ArgumentException>(() => JobExpression.Parse(notACall, typeof(Sample)));

        Assert.That(ex!.Message, Does.Contain("single method call"));
    }

    [Test]
    public void Parse_Throws_WhenMethodHasRefParameter()
    {
        var value = 1;
        Expression<Action<Sample>> call = s => s.WithRef(ref value);

        var ex = Assert.Throws<NotSupportedException>(() => JobExpression.Parse(call, typeof(Sample)));

        Assert.That(ex!.Message, Does.Contain("by reference"));
    }

    [Test]
    public void Parse_Throws_WhenCancellationTokenIsLive()
    {
        using var source = new CancellationTokenSource();
        var token = source.Token;
        Expression<Func<Sample, Task>> call = s => s.RunAsync(token);

        var ex = Assert.Throws<ArgumentException>(() => JobExpression.Parse(call, typeof(Sample)));

        Assert.That(ex!.Message, Does.Contain("CancellationToken.None"));
    }

    [Test]
    public void SerializeThenDeserialize_RoundTripsArguments()
    {
        Expression<Action<Sample>> call = s => s.Run(7, "seven");
        var data = InvocationData.Serialize(JobExpression.Parse(call, typeof(Sample)));

        var job = data.Deserialize();

        Assert.That(job.Args, Is.EqualTo(new object?[] { 7, "seven" }));
    }

    [Test]
    public void Deserialize_ThrowsJobLoadException_WhenTypeNoLongerExists()
    {
        var data = new InvocationData("Gone.Type, Gone.Assembly", "Run", [], "[]");

        var ex = Assert.Throws<JobLoadException>(() => data.Deserialize());

        Assert.That(ex!.Message, Does.Contain("Gone.Type"));
    }

    [Test]
    public void Deserialize_ThrowsJobLoadException_WhenArgumentsNoLongerDeserialize()
    {
        Expression<Action<Sample>> call = s => s.Run(7, "seven");
        var data = InvocationData.Serialize(JobExpression.Parse(call, typeof(Sample))) with { Arguments = "[\"not a number\",\"x\"]" };

        var ex = Assert.Throws<JobLoadException>(() => data.Deserialize());

        Assert.That(ex!.Message, Does.Contain("id"));
    }

    public sealed class Sample
    {
        public int Value { get; set; }

        public void Run(int id, string name) => Value = id + name.Length;

        public void WithRef(ref int value) => value++;

        public Task RunAsync(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
    }
}
