using System.Net;
using System.Text;
using HandlebarsDotNet;

namespace Jobs.Tasks.Mail;

/// <summary>
/// Escapes <c>{{value}}</c> in HTML templates with <see cref="WebUtility.HtmlEncode(string)"/>: <c>&lt; &gt; &amp; " '</c>
/// and characters above U+00A0 become entities, so text from a job can neither add markup nor break out of an attribute.
/// </summary>
internal sealed class HtmlTextEncoder : ITextEncoder
{
    public void Encode(StringBuilder? text, TextWriter target) => Encode(text?.ToString(), target);

    public void Encode(string? text, TextWriter target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Write(WebUtility.HtmlEncode(text ?? string.Empty));
    }

    public void Encode<T>(T? text, TextWriter target)
        where T : IEnumerator<char>
    {
        var buffer = new StringBuilder();
        while (text is not null && text.MoveNext())
        {
            buffer.Append(text.Current);
        }

        Encode(buffer.ToString(), target);
    }
}
