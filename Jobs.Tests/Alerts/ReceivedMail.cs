using System.Text;
using System.Text.RegularExpressions;

namespace Jobs.Tests.Alerts;

/// <summary>
/// An e-mail as the SMTP server stored it, taken apart just enough for assertions: headers, and the
/// decoded parts of a multipart body (quoted-printable or base64), each with its content type.
/// </summary>
public sealed partial class ReceivedMail
{
    private ReceivedMail(string raw, IReadOnlyDictionary<string, string> headers, IReadOnlyList<(string ContentType, string Body)> parts)
    {
        Raw = raw;
        Headers = headers;
        Parts = parts;
    }

    public string Raw { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public IReadOnlyList<(string ContentType, string Body)> Parts { get; }

    public string Subject => DecodeWords(Headers.GetValueOrDefault("Subject") ?? string.Empty);

    public string ContentType => Headers.GetValueOrDefault("Content-Type") ?? string.Empty;

    public string Text => Parts.Single(p => p.ContentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)).Body;

    public string Html => Parts.Single(p => p.ContentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase)).Body;

    public static ReceivedMail Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var normalized = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var (headers, body) = Split(normalized);
        var parts = new List<(string, string)>();
        var contentType = headers.GetValueOrDefault("Content-Type") ?? "text/plain";
        var boundary = Boundary().Match(contentType);
        if (boundary.Success)
        {
            var marker = "--" + boundary.Groups[1].Value;
            foreach (var chunk in body.Split(marker).Skip(1))
            {
                if (chunk.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                var (partHeaders, partBody) = Split(chunk.TrimStart('\n'));
                parts.Add((partHeaders.GetValueOrDefault("Content-Type") ?? "text/plain", Decode(partHeaders, partBody)));
            }
        }
        else
        {
            parts.Add((contentType, Decode(headers, body)));
        }

        return new ReceivedMail(raw, headers, parts);
    }

    private static (Dictionary<string, string> Headers, string Body) Split(string text)
    {
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var body = end < 0 ? string.Empty : text[(end + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, body);
    }

    private static string Decode(Dictionary<string, string> headers, string body)
    {
        var encoding = headers.GetValueOrDefault("Content-Transfer-Encoding") ?? "7bit";
        if (encoding.Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split('\n', StringSplitOptions.TrimEntries))));
        }

        if (encoding.Equals("quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            return DecodeQuotedPrintable(body);
        }

        return body;
    }

    private static string DecodeQuotedPrintable(string body)
    {
        var bytes = new List<byte>();
        var text = body.Replace("=\n", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string DecodeWords(string value) =>
        EncodedWord().Replace(value, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups[1].Value);
            var data = m.Groups[3].Value;
            return m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? charset.GetString(Convert.FromBase64String(data))
                : DecodeQuotedPrintable(data.Replace('_', ' '));
        }).Replace("?= =?", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Boundary();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=(\s+(?==\?))?", RegexOptions.CultureInvariant)]
    private static partial Regex EncodedWord();
}
