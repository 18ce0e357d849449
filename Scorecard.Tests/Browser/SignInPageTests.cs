using System.Net;
using Dapper;
using Scorecard.Web.Auth;

namespace Scorecard.Tests.Browser;

/// <summary>Issue 9 §3.6 and §3.3: the sign-in page shows only its own messages, and Data Protection keys are never plain in the database.</summary>
public sealed class SignInPageTests(RunningAppFixture fixture) : IClassFixture<RunningAppFixture>
{
    [Fact]
    public async Task TheSignInPageNeverShowsTextFromItsAddress()
    {
        using var http = FormSignIn.Client(fixture.App);

        var injected = await (await http.GetAsync("/account/login?error=" + Uri.EscapeDataString("Your account is suspended: call 0800 000 000 <b>now</b>"))).Content.ReadAsStringAsync();

        Assert.DoesNotContain("0800 000 000", injected);
        Assert.DoesNotContain("login-error", injected);
    }

    [Theory]
    [InlineData(LoginErrors.NotLinked, "not linked to a Scorecard account")]
    [InlineData(LoginErrors.NoAccount, "there is no Scorecard account for you")]
    [InlineData(LoginErrors.Deactivated, "has been deactivated")]
    [InlineData(LoginErrors.SingleSignOnFailed, "Single sign-on did not complete")]
    public async Task AKnownErrorCodeShowsItsFixedMessage(string code, string text)
    {
        using var http = FormSignIn.Client(fixture.App);

        using var response = await http.GetAsync("/account/login?error=" + code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(text, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task DataProtectionKeysAreStoredEncryptedWithTheCertificateNeverAsAPlainMasterKey()
    {
        using var http = FormSignIn.Client(fixture.App);
        // The sign-in page's antiforgery token needs a key, so there is at least one once it has been served.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/account/login")).StatusCode);

        await using var conn = await fixture.App.DataSource.OpenConnectionAsync();
        var keys = (await conn.QueryAsync<string>("select xml from data_protection_key")).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("<EncryptedData", xml);
            Assert.Contains("X509Certificate", xml);
        });
    }
}
