namespace Jobs.Dashboard.Html;

/// <summary>Previous / next links and page numbers around the current page.</summary>
internal static class Pager
{
    public static void Write(HtmlWriter html, DashboardContext context, string path, PageRequest page, long total, string extraQuery = "")
    {
        var pages = Math.Max(1, (total + page.Size - 1) / page.Size);
        if (pages <= 1 && page.Page == 1)
        {
            return;
        }

        html.Append($"<nav class=\"pager\" aria-label=\"Pages\">");
        if (page.Page > 1)
        {
            Link(html, context, path, page.Page - 1, page.Size, "‹ Previous", extraQuery);
        }

        var from = Math.Max(1, page.Page - 3);
        var to = Math.Min(pages, page.Page + 3L);
        for (var p = from; p <= to; p++)
        {
            if (p == page.Page)
            {
                html.Append($"<span class=\"current\">{p}</span>");
            }
            else
            {
                Link(html, context, path, (int)p, page.Size, p.ToString(System.Globalization.CultureInfo.InvariantCulture), extraQuery);
            }
        }

        if (page.Page < pages)
        {
            Link(html, context, path, page.Page + 1, page.Size, "Next ›", extraQuery);
        }

        html.Append($"<span class=\"muted\">{Format.Number(total)} in all, {pages:N0} pages</span></nav>");
    }

    private static void Link(HtmlWriter html, DashboardContext context, string path, int number, int size, string label, string extraQuery) =>
        html.Append($"<a href=\"{context.Url(path)}?page={number}&size={size}{extraQuery}\">{label}</a>");
}
