using GitOps.Build.ConfigRepo;
using GitOps.Build.Diagnostics;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class ConfigRepositoryLocationTests
{
    [TestMethod]
    [DataRow("https://git.example.com/team/config.git", nameof(ConfigTransport.Https))]
    [DataRow("HTTP://127.0.0.1:8081/config.git", nameof(ConfigTransport.Http))]
    public void HTTP_URLs_are_cloned_as_given_and_shallow(string url, string transport)
    {
        var location = ConfigRepositoryLocation.Parse(url);

        Assert.AreEqual(new Uri(url), location.HttpUrl);
        Assert.AreEqual(url, location.DisplayUrl);
        Assert.IsNull(location.Ssh);
        Assert.AreEqual(transport, location.Transport.ToString());
        Assert.IsTrue(location.IsHttp);
        Assert.IsNull(location.EmbeddedCredentials);
    }

    [TestMethod]
    public void Credentials_in_an_HTTP_URL_are_taken_out_of_the_URL()
    {
        var location = ConfigRepositoryLocation.Parse("https://bot:p%40ss@git.example.com/config.git");

        Assert.AreEqual(new Uri("https://git.example.com/config.git"), location.HttpUrl);
        Assert.AreEqual("", location.HttpUrl!.UserInfo);
        Assert.AreEqual("https://git.example.com/config.git", location.DisplayUrl);
        Assert.AreEqual(new GitCredentials("bot", "p@ss"), location.EmbeddedCredentials);
    }

    [TestMethod]
    public void Local_paths_and_file_URLs_are_accepted_when_they_exist()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-location-").FullName;
        try
        {
            Assert.AreEqual(directory, ConfigRepositoryLocation.Parse(directory).LocalPath);
            Assert.AreEqual(directory, ConfigRepositoryLocation.Parse("file://" + directory).LocalPath);
            Assert.AreEqual("file://" + directory, ConfigRepositoryLocation.Parse("file://" + directory).DisplayUrl);
            Assert.IsFalse(ConfigRepositoryLocation.Parse("file://" + directory).IsHttp);
            Assert.AreEqual(ConfigTransport.File, ConfigRepositoryLocation.Parse(directory).Transport);
            Assert.AreEqual(ConfigTransport.File, ConfigRepositoryLocation.Parse("file://" + directory).Transport);
            Assert.AreEqual(Errors.ConfigRepositoryNotFound.Code, ParseError(directory + "/missing").Code);
            Assert.AreEqual(Errors.ConfigRepositoryNotFound.Code, ParseError("file://" + directory + "/missing").Code);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [TestMethod]
    [DataRow("ssh://git@example.com/config.git")]
    [DataRow("git+ssh://example.com/config.git")]
    [DataRow("ssh+git://example.com:2222/config.git")]
    [DataRow("git@github.com:team/config.git")]
    [DataRow("example.com:config.git")]
    public void SSH_URLs_and_scp_style_addresses_are_cloned_as_given_and_shallow(string url)
    {
        var location = ConfigRepositoryLocation.Parse(url);

        Assert.IsTrue(location.IsSsh);
        Assert.IsFalse(location.IsHttp);
        Assert.AreEqual(SshAddress.TryParse(url), location.Ssh);
        Assert.IsNull(location.HttpUrl);
        Assert.IsNull(location.EmbeddedCredentials);
    }

    [TestMethod]
    public void A_password_in_an_SSH_URL_is_dropped_and_the_user_kept()
    {
        var location = ConfigRepositoryLocation.Parse("ssh://git:s3cr3t@example.com:2222/config.git");

        Assert.AreEqual(new SshAddress("git", "example.com", 2222, "/config.git"), location.Ssh);
        Assert.AreEqual("ssh://example.com:2222/config.git", location.DisplayUrl);
    }

    [TestMethod]
    [DataRow("git://example.com/config.git")]
    [DataRow("ftp://example.com/config.git")]
    [DataRow("ftp:config.git")]
    [DataRow("ssh://-oProxyCommand=evil/config.git")]
    [DataRow("-oProxyCommand=evil@example.com:config.git")]
    public void Other_schemes_are_refused(string url) =>
        Assert.AreEqual(Errors.ConfigRepositorySchemeUnsupported.Code, ParseError(url).Code);

    [TestMethod]
    public void Two_parses_of_one_address_are_one_value_and_other_credentials_make_another()
    {
        var url = "https://bot:token@git.example.com/config.git";

        Assert.AreEqual(ConfigRepositoryLocation.Parse(url), ConfigRepositoryLocation.Parse(" " + url + "\n"));
        Assert.AreNotEqual(ConfigRepositoryLocation.Parse(url), ConfigRepositoryLocation.Parse(url.Replace("token", "other", StringComparison.Ordinal)));
        Assert.AreNotEqual(ConfigRepositoryLocation.Parse(url), ConfigRepositoryLocation.Parse("https://git.example.com/other.git"));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("  ")]
    public void An_empty_URL_is_GITOPS001(string url) =>
        Assert.AreEqual(Errors.ConfigRepositoryMissing.Code, ParseError(url).Code);

    private static GitOpsException ParseError(string url) =>
        Assert.ThrowsExactly<GitOpsException>(() => ConfigRepositoryLocation.Parse(url));
}
