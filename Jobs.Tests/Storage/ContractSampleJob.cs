using System.Linq.Expressions;
using Jobs.Common;

namespace Jobs.Tests.Storage;

/// <summary>The job type the storage contract tests store; its methods never run.</summary>
public sealed class ContractSampleJob
{
    public static InvocationData Run(int id = 1, string name = "sample") => Serialize(j => j.Execute(id, name));

    public static InvocationData Report(string customer) => Serialize(j => j.BuildReport(customer));

    public void Execute(int id, string name) => Last = $"{id}:{name}";

    public void BuildReport(string customer) => Last = customer;

    public string? Last { get; private set; }

    private static InvocationData Serialize(Expression<Action<ContractSampleJob>> call) =>
        InvocationData.Serialize(JobExpression.Parse(call, typeof(ContractSampleJob)));
}
