using System.Linq.Expressions;
using Jobs.Common;

namespace Jobs.Tests.Tasks;

/// <summary>The jobs the weekly report tests store as finished runs; their methods never run.</summary>
public sealed class WeeklyReportSampleJob
{
    public static InvocationData Import() => Serialize(j => j.ImportOrders());

    public static InvocationData Export() => Serialize(j => j.ExportInvoices());

    public void ImportOrders() => Runs++;

    public void ExportInvoices() => Runs++;

    public int Runs { get; private set; }

    private static InvocationData Serialize(Expression<Action<WeeklyReportSampleJob>> call) =>
        InvocationData.Serialize(JobExpression.Parse(call, typeof(WeeklyReportSampleJob)));
}
