using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.Diagnostics;

[TestClass]
public sealed class UrlRedactorTests
{
    [TestMethod]
    [DataRow("https://bot:ghp_token@github.com/team/config.git", "https://github.com/team/config.git")]
    [DataRow("https://ghp_token@github.com/team/config.git", "https://github.com/team/config.git")]
    [DataRow("http://user:p%40ss@127.0.0.1:8081/config.git", "http://127.0.0.1:8081/config.git")]
    [DataRow("https://user:p@ss@host/config.git", "https://host/config.git")]
    [DataRow("HTTPS://bot:x@Host", "HTTPS://Host")]
    [DataRow("https://github.com/team/config.git", "https://github.com/team/config.git")]
    [DataRow("https://host/path/with@sign", "https://host/path/with@sign")]
    [DataRow("/srv/git/config.git", "/srv/git/config.git")]
    [DataRow("", "")]
    public void Strips_user_info_from_a_URL(string url, string expected) =>
        Assert.AreEqual(expected, UrlRedactor.Redact(url));

    [TestMethod]
    public void Strips_user_info_from_every_URL_in_a_message_and_leaves_e_mail_addresses_alone()
    {
        var message = "failed to push to https://bot:secret@git.example.com/a.git (mirror ssh://me:pw@host/b), ask ops@example.com";

        Assert.AreEqual(
            "failed to push to https://git.example.com/a.git (mirror ssh://host/b), ask ops@example.com",
            UrlRedactor.Redact(message));
    }

    private const string Secret = "S3CR3T";

    /// <summary>RFC 3986's gen-delims and sub-delims, space, '%' and non-ASCII: each in a user name and a password.</summary>
    private static readonly string[] Characters =
        [":", "/", "?", "#", "[", "]", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", " ", "%", "é", "密", "😀"];

    /// <summary>Each character raw and percent-encoded, in user and password, for http, https and ssh URLs.</summary>
    public static IEnumerable<object[]> UrlsWithCredentials() =>
        from scheme in new[] { "http", "https", "ssh" }
        from character in Characters
        from form in new[] { character, Uri.EscapeDataString(character) }
        select new object[] { $"{scheme}://us{form}er:pa{form}{Secret}{form}ss@git.example.com:8443/team/config.git", $"{scheme}://git.example.com:8443/team/config.git" };

    [TestMethod]
    [DynamicData(nameof(UrlsWithCredentials))]
    public void No_character_in_user_or_password_lets_the_password_through(string url, string redacted)
    {
        Assert.AreEqual(redacted, UrlRedactor.Redact(url));
        Assert.AreEqual(redacted, UrlRedactor.SplitUserInfo(url).Address);
        var message = UrlRedactor.Redact($"cloning {url} failed ('{url}'), ask ops@example.com");
        Assert.IsFalse(message.Contains(Secret, StringComparison.Ordinal), message);
        StringAssert.Contains(message, "ask ops@example.com");
    }

    [TestMethod]
    [DynamicData(nameof(UrlsWithCredentials))]
    public void GitOpsConfigRepository_never_shows_the_password_whether_it_parses_or_not(string url, string redacted)
    {
        string shown;
        try
        {
            var location = ConfigRepositoryLocation.Parse(url);
            shown = $"{location} {location.DisplayUrl} {location.HttpUrl} {location.Ssh}";
            Assert.AreEqual(redacted, location.DisplayUrl);
            if (location.EmbeddedCredentials is { } credentials)
                StringAssert.Contains(credentials.Token, Secret, "the password reaches the server whole");
        }
        catch (GitOpsException e)
        {
            shown = e.Message;
        }
        Assert.IsFalse(shown.Contains(Secret, StringComparison.Ordinal), shown);
    }

    [TestMethod]
    [DataRow("http://user:pw#SECRET@host/r.git", "user", "pw#SECRET")]
    [DataRow("http://user:pw SECRET@host/r.git", "user", "pw SECRET")]
    [DataRow("http://user:pw/SECRET@host/r.git", "user", "pw/SECRET")]
    [DataRow("http://user:pw?SECRET@host/r.git", "user", "pw?SECRET")]
    [DataRow("http://us er:pw@host/r.git", "us er", "pw")]
    [DataRow("http://user:p%20w@host/r.git", "user", "p w")]
    public void Unescaped_delimiters_in_a_password_end_in_the_credentials_and_out_of_the_URL(string url, string user, string password)
    {
        var location = ConfigRepositoryLocation.Parse(url);

        Assert.AreEqual("http://host/r.git", location.DisplayUrl);
        Assert.AreEqual(new Uri("http://host/r.git"), location.HttpUrl);
        Assert.AreEqual(new GitCredentials(user, password), location.EmbeddedCredentials);
    }

    [TestMethod]
    public void An_scp_style_address_with_a_password_is_refused_without_quoting_it()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => ConfigRepositoryLocation.Parse("git:S3CR3T@example.com:team/config.git"));

        Assert.AreEqual(Errors.ConfigRepositorySchemeUnsupported.Code, error.Code);
        Assert.IsFalse(error.Message.Contains(Secret, StringComparison.Ordinal), error.Message);
        Assert.AreEqual("git@github.com:team/config.git", UrlRedactor.Redact("git@github.com:team/config.git"), "an scp-style user stays");
    }
}
