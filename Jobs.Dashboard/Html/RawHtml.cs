namespace Jobs.Dashboard.Html;

/// <summary>Markup the dashboard built itself and that must not be encoded again. Never wrap text that came from a job.</summary>
internal readonly record struct RawHtml(string Value)
{
    public static RawHtml Empty { get; } = new(string.Empty);

    public override string ToString() => Value;
}
