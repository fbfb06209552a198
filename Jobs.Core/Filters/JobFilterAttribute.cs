namespace Jobs.Filters;

/// <summary>Base of filter attributes placed on a job's class or method. Lower <see cref="Order"/> runs first.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public abstract class JobFilterAttribute : Attribute
{
    public int Order { get; set; }
}
