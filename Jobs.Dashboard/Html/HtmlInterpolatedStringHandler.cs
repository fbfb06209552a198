using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Jobs.Dashboard.Html;

/// <summary>
/// Lets pages write <c>html.Append($"&lt;td&gt;{job.DisplayName}&lt;/td&gt;")</c>: literals go out as they are, every hole is
/// HTML-encoded unless it is <see cref="RawHtml"/>. So text from jobs (arguments, exceptions, names) is always encoded.
/// </summary>
[InterpolatedStringHandler]
internal ref struct HtmlInterpolatedStringHandler
{
    private readonly StringBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, HtmlWriter writer)
    {
        _ = formattedCount;
        _builder = writer.Builder;
        _builder.EnsureCapacity(_builder.Length + literalLength);
    }

    public readonly void AppendLiteral(string value) => _builder.Append(value);

    public readonly void AppendFormatted(RawHtml value) => _builder.Append(value.Value);

    public readonly void AppendFormatted(string? value) => _builder.Append(HtmlEncoder.Default.Encode(value ?? string.Empty));

    public readonly void AppendFormatted<T>(T value) =>
        AppendFormatted(value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());

    public readonly void AppendFormatted<T>(T value, string? format) =>
        AppendFormatted(value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString());
}
