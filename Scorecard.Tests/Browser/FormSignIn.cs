using System.Text.RegularExpressions;

namespace Scorecard.Tests.Browser;

/// <summary>Posts the real sign-in form over plain HTTP (antiforgery token and cookie included), as a browser would.</summary>
public static partial class FormSignIn
{
    /// <summary>A client that neither follows redirects nor keeps cookies, so each response's own headers can be read.</summary>
    public static HttpClient Client(RunningApp app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string email, string password, Action<HttpRequestMessage>? decorate = null)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        decorate?.Invoke(get);
        using var page = await http.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryInput().Match(html);
        Assert.True(token.Success, "The sign-in page carries an antiforgery token.");
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token.Groups["value"].Value),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        decorate?.Invoke(post);
        return await http.SendAsync(post);
    }

    /// <summary>The Set-Cookie header that sets <paramref name="name"/>, or null.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) : null;

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
