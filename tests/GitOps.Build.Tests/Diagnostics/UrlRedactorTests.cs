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
}
