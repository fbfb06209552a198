using System.Reflection;
using HandlebarsDotNet;

namespace Jobs.Tasks.Mail;

/// <summary>
/// A mail body pair from Handlebars templates embedded in an assembly: <c>{name}.txt.hbs</c> for the text part and
/// <c>{name}.html.hbs</c> for the HTML part. In the HTML part every <c>{{value}}</c> is HTML-escaped; the text part is
/// written as it is. Values are inserted, never parsed: a value holding <c>{{x}}</c> comes out as <c>{{x}}</c>.
/// HTML templates can use the partials <c>{{&gt; html-begin}}</c> (doctype, head with <c>Title</c>, body) and
/// <c>{{&gt; html-end}}</c>. Rendering is thread-safe.
/// </summary>
public sealed class MailTemplate
{
    private static readonly Lazy<IHandlebars> HtmlEngine = new(CreateHtmlEngine);
    private static readonly Lazy<IHandlebars> TextEngine = new(() => Handlebars.Create(new HandlebarsConfiguration { NoEscape = true }));

    private readonly HandlebarsTemplate<object, object> _text;
    private readonly HandlebarsTemplate<object, object> _html;

    private MailTemplate(HandlebarsTemplate<object, object> text, HandlebarsTemplate<object, object> html)
    {
        _text = text;
        _html = html;
    }

    /// <summary>Compiles the embedded resources <c>{resourcePrefix}.txt.hbs</c> and <c>{resourcePrefix}.html.hbs</c> of <paramref name="assembly"/>.</summary>
    /// <exception cref="InvalidOperationException">A resource is missing.</exception>
    public static MailTemplate FromResources(Assembly assembly, string resourcePrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(resourcePrefix);
        return new MailTemplate(
            TextEngine.Value.Compile(ReadResource(assembly, resourcePrefix + ".txt.hbs")),
            HtmlEngine.Value.Compile(ReadResource(assembly, resourcePrefix + ".html.hbs")));
    }

    /// <summary>The text/plain body for <paramref name="model"/> (its public properties are the template's values).</summary>
    public string RenderText(object model) => _text(model);

    /// <summary>The text/html body for <paramref name="model"/>, every value HTML-escaped.</summary>
    public string RenderHtml(object model) => _html(model);

    private static IHandlebars CreateHtmlEngine()
    {
        var engine = Handlebars.Create(new HandlebarsConfiguration { TextEncoder = new HtmlTextEncoder() });
        var assembly = typeof(MailTemplate).Assembly;
        engine.RegisterTemplate("html-begin", ReadResource(assembly, "Jobs.Tasks.Mail.Templates.html-begin.hbs"));
        engine.RegisterTemplate("html-end", ReadResource(assembly, "Jobs.Tasks.Mail.Templates.html-end.hbs"));
        return engine;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Mail template '{name}' is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);

        // Templates are written with LF; a checkout that turned them into CRLF must not change the mails.
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
