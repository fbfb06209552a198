using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard;

/// <summary>The <c>?page=</c> and <c>?size=</c> of a list, validated so a bad value is a clear message rather than an exception.</summary>
internal readonly record struct PageRequest(int Page, int Size)
{
    public const int MaxPageSize = 500;

    /// <summary>Keeps deep paging cheap: skip beyond this many rows is refused.</summary>
    public const int MaxSkip = 100_000;

    public int Skip => (Page - 1) * Size;

    public static bool TryParse(IQueryCollection query, int defaultSize, out PageRequest request, [NotNullWhen(false)] out string? error)
    {
        request = default;
        error = null;
        var page = 1;
        var size = defaultSize;
        var pageText = query["page"].ToString();
        if (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            error = $"The page number '{pageText}' is not valid: use a whole number from 1.";
            return false;
        }

        var sizeText = query["size"].ToString();
        if (sizeText.Length > 0 && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxPageSize))
        {
            error = $"The page size '{sizeText}' is not valid: use a whole number from 1 to {MaxPageSize}.";
            return false;
        }

        if ((long)(page - 1) * size > MaxSkip)
        {
            error = $"Page {page} is too far: at most {MaxSkip:N0} rows can be skipped. Use search or a larger page size.";
            return false;
        }

        request = new PageRequest(page, size);
        return true;
    }
}
