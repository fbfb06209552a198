using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard;

/// <summary>The "what happened" message an action leaves for the page it redirects to, carried in a short-lived cookie.</summary>
internal sealed record FlashMessage(string Text, bool IsError)
{
    private const string CookieName = "jobs_flash";
    private const int MaxLength = 3000;

    public void Store(DashboardContext context)
    {
        var text = Text.Length > MaxLength ? string.Concat(Text.AsSpan(0, MaxLength), "…") : Text;
        var value = (IsError ? "e" : "i") + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        context.Http.Response.Cookies.Append(CookieName, value, Options(context));
    }

    public static FlashMessage? Take(DashboardContext context)
    {
        if (!context.Http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        context.Http.Response.Cookies.Delete(CookieName, Options(context));
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value.AsSpan(1)));
            return new FlashMessage(text, value[0] == 'e');
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static CookieOptions Options(DashboardContext context) => new()
    {
        Path = context.Url(string.Empty) is { Length: > 0 } path ? path : "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Http.Request.IsHttps,
        MaxAge = TimeSpan.FromMinutes(1),
        IsEssential = true,
    };
}
