using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Jobs.Dashboard.Html;

/// <summary>Builds a page's markup; see <see cref="HtmlInterpolatedStringHandler"/> for the encoding rule.</summary>
internal sealed class HtmlWriter
{
    public StringBuilder Builder { get; } = new(8 * 1024);

    public HtmlWriter Append([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler handler)
    {
        _ = handler;
        return this;
    }

    public HtmlWriter Raw(RawHtml html)
    {
        Builder.Append(html.Value);
        return this;
    }

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public override string ToString() => Builder.ToString();
}
