using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// `dotnet publish -p:GitOpsPush=true` where the config repository is reached the corporate way: over https with a
/// certificate from a private CA (GITOPS_CA_BUNDLE), and through an authenticating forward proxy (http_proxy).
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class CorporateNetworkPublishTests
{
    [TestMethod]
    public void Publish_deploys_over_https_with_a_token_and_the_private_CA_in_GITOPS_CA_BUNDLE()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var url = config.Url.Replace(environment.GitHttpBase, environment.GitHttpsBase, StringComparison.Ordinal);
        Assert.IsTrue(url.StartsWith("https://", StringComparison.Ordinal), url);

        var publish = app.PublishWithGitOps(environment, url, new Dictionary<string, string?> { ["GITOPS_CA_BUNDLE"] = environment.GitCaBundle });

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Parent());
        StringAssert.Contains(config.Subject(), app.Head[..7]);
    }

    [TestMethod]
    public void Without_the_CA_the_same_publish_fails_with_GITOPS090_and_commits_nothing()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var url = config.Url.Replace(environment.GitHttpBase, environment.GitHttpsBase, StringComparison.Ordinal);

        var publish = app.PublishWithGitOps(environment, url);

        Assert.AreNotEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.StandardOutput, "error GITOPS090:");
        Assert.IsFalse(publish.StandardOutput.Contains("MSB4018", StringComparison.Ordinal), publish.ToString());
        Assert.AreEqual(before, config.Head);
    }

    [TestMethod]
    public void Publish_deploys_over_http_through_the_authenticating_proxy_and_the_proxy_saw_it()
    {
        var environment = TestEnvironment.Require();
        using var app = AppWorkspace.FromSample();
        using var config = TestConfigRepository.OnServer(environment);
        var before = config.Head;
        var repository = Path.GetFileName(config.Url);

        var publish = app.PublishWithGitOps(environment, config.Url, new Dictionary<string, string?>
        {
            // The SDK's image push reads the same variable: it goes through the proxy too, as it would in such a CI.
            ["http_proxy"] = environment.ProxyUrlWithCredentials,
        });

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Parent());
        var proxied = File.ReadAllLines(environment.ProxyLog).Where(line => line.Contains(repository, StringComparison.Ordinal)).ToList();
        Assert.IsTrue(proxied.Any(line => line.Contains("POST http://", StringComparison.Ordinal) && line.Contains("/git-receive-pack", StringComparison.Ordinal)),
            "the push went through the proxy:\n" + string.Join("\n", proxied));
        Assert.IsFalse(publish.StandardOutput.Contains(environment.ProxyPassword, StringComparison.Ordinal), "proxy password in the build output");
    }
}
