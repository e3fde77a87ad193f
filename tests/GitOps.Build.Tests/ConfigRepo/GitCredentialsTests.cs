using GitOps.Build.ConfigRepo;

namespace GitOps.Build.Tests.ConfigRepo;

[TestClass]
public sealed class GitCredentialsTests
{
    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  \n")]
    public void No_token_means_no_credentials(string? token) =>
        Assert.IsNull(GitCredentials.FromEnvironment(Variables(token, "someone")));

    [TestMethod]
    public void The_user_name_defaults_to_x_access_token_and_the_token_is_trimmed() =>
        Assert.AreEqual(new GitCredentials("x-access-token", "ghp_abc"), GitCredentials.FromEnvironment(Variables("ghp_abc\n", "")));

    [TestMethod]
    public void GITOPS_USERNAME_overrides_the_user_name() =>
        Assert.AreEqual(new GitCredentials("deploy-bot", "glpat-xyz"), GitCredentials.FromEnvironment(Variables("glpat-xyz", "deploy-bot")));

    [TestMethod]
    public void A_user_name_with_a_colon_is_GITOPS116_since_basic_authentication_would_split_it()
    {
        var error = Assert.ThrowsExactly<GitOps.Build.Diagnostics.GitOpsException>(() => GitCredentials.FromEnvironment(Variables("ghp_abc", "deploy:bot")));

        Assert.AreEqual(GitOps.Build.Diagnostics.Errors.GitUsernameInvalid.Code, error.Code);
        StringAssert.Contains(error.Message, "GITOPS_USERNAME");
    }

    [TestMethod]
    public void ToString_never_shows_the_token()
    {
        var text = new GitCredentials("deploy-bot", "ghp_SuperSecret").ToString();

        StringAssert.Contains(text, "deploy-bot");
        Assert.IsFalse(text.Contains("SuperSecret", StringComparison.Ordinal), text);
        Assert.IsFalse($"{new { Credentials = new GitCredentials("u", "ghp_SuperSecret") }}".Contains("SuperSecret", StringComparison.Ordinal));
    }

    private static Func<string, string?> Variables(string? token, string? username) =>
        name => name switch
        {
            "GITOPS_TOKEN" => token,
            "GITOPS_USERNAME" => username,
            _ => throw new AssertFailedException($"unexpected variable {name}"),
        };
}
