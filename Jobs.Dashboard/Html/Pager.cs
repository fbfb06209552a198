using System.Globalization;
using Jobs.Storage;

namespace Jobs.Dashboard.Html;

/// <summary>Previous / next links and page numbers around the current page.</summary>
internal static class Pager
{
    public static void Write(HtmlWriter html, DashboardContext context, string path, PageRequest page, long total, string extraQuery = "") =>
        Write(html, context, path, page, new LimitedCount(total, false), shown: 0, extraQuery);

    /// <summary>
    /// The pager for a list whose count may have stopped at a limit: then the pages up to it are linked, and Next stays
    /// while a page is full (<paramref name="shown"/> rows on the current page).
    /// </summary>
    public static void Write(HtmlWriter html, DashboardContext context, string path, PageRequest page, LimitedCount total, int shown, string extraQuery = "")
    {
        // More than Value rows: the row after the Value-th exists, so its page does too.
        var known = total.IsLowerBound ? total.Value + 1 : total.Value;
        var pages = Math.Max(1, (known + page.Size - 1) / page.Size);
        var hasNext = page.Page < pages || (total.IsLowerBound && shown >= page.Size);
        if (pages <= 1 && page.Page == 1 && !hasNext)
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
                Link(html, context, path, (int)p, page.Size, p.ToString(CultureInfo.InvariantCulture), extraQuery);
            }
        }

        if (page.Page > to)
        {
            html.Append($"<span class=\"current\">{page.Page}</span>");
        }

        if (hasNext)
        {
            Link(html, context, path, page.Page + 1, page.Size, "Next ›", extraQuery);
        }

        if (total.IsLowerBound)
        {
            html.Append($"<span class=\"muted\">more than {Format.Number(total.Value)} in all</span></nav>");
        }
        else
        {
            html.Append($"<span class=\"muted\">{Format.Number(total.Value)} in all, {pages:N0} pages</span></nav>");
        }
    }

    private static void Link(HtmlWriter html, DashboardContext context, string path, int number, int size, string label, string extraQuery) =>
        html.Append($"<a href=\"{context.Url(path)}?page={number}&size={size}{extraQuery}\">{label}</a>");
}
