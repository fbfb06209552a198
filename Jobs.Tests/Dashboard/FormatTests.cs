using Jobs.Common;
using Jobs.Dashboard.Html;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class FormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Relative_SaysJustNow_WhenLessThanASecondApart() =>
        Assert.That(Format.Relative(Now.AddMilliseconds(-300), Now), Is.EqualTo("just now"));

    [TestCase(-5, "5 s ago")]
    [TestCase(90, "in 1 min 30 s")]
    public void Relative_SaysHowLongAgoOrUntil(int seconds, string expected) =>
        Assert.That(Format.Relative(Now.AddSeconds(seconds), Now), Is.EqualTo(expected));

    [Test]
    public void Call_ShowsTheCallWithShortParameterTypes_AndTheAssemblyApart()
    {
        var invocation = new InvocationData(
            "Billing.Jobs.InvoiceJob, Billing.Jobs",
            "SendAsync",
            ["System.Int64, System.Private.CoreLib", "System.Threading.CancellationToken, System.Private.CoreLib"],
            "[42,null]");

        Assert.That(Format.Call(invocation), Is.EqualTo(("Billing.Jobs.InvoiceJob.SendAsync(Int64, CancellationToken)", "Billing.Jobs")));
    }

    [Test]
    public void Call_KeepsTheAssembliesOfGenericArgumentsInTheTypeName()
    {
        var invocation = new InvocationData(
            "Billing.Jobs.Batch`1[[Billing.Jobs.Invoice, Billing.Model]], Billing.Jobs", "Run", [], "[]");

        Assert.That(Format.Call(invocation), Is.EqualTo(("Billing.Jobs.Batch`1[[Billing.Jobs.Invoice, Billing.Model]].Run()", "Billing.Jobs")));
    }
}
