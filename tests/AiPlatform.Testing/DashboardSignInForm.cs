using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace AiPlatform.Testing;

/// <summary>Fills in the Dashboard's sign-in form as a browser does: the form's antiforgery token and cookie, then the key.</summary>
public static partial class DashboardSignInForm
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string key, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/signin" : $"/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var token = TokenIn(form);
        Assert.True(token is not null, "The sign-in form has no antiforgery token.");
        return await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token!,
            ["Form.Key"] = key,
        }));
    }

    /// <summary>The antiforgery token of the first form on a page (the sign-in form, or the layout's sign-out form).</summary>
    public static string? TokenIn(string html) => AntiforgeryToken().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
