using GitOps.Build.Tests.Infrastructure;
using GitOps.Build.Tests.Signing;

namespace GitOps.Build.Tests.Integration;

/// <summary>
/// A release with GitOpsCommitSigningFormat=ssh: its one commit deploys every service and `git verify-commit` accepts
/// it, against the real registry and HTTP git server (issue 20).
/// </summary>
[TestClass]
[TestCategory("Publish")]
[TestCategory("GitServer")]
[TestCategory("Registry")]
public sealed class SignedReleaseTests
{
    private const string Passphrase = "release passphrase 41c9";

    [TestMethod]
    public void A_signed_release_is_one_commit_that_git_verify_commit_accepts()
    {
        var environment = TestEnvironment.Require();
        using var keys = new TestKeys();
        var (keyPath, publicKey) = keys.Ssh("release", Passphrase);
        using var shop = ReleaseWorkspace.Create();
        using var config = TestConfigRepository.OnServer(environment, shop.SeedConfig(environment.Registry));
        var before = config.Head;
        var tag = shop.Head[..7];

        var publish = shop.Publish(environment, "Shop.slnx", config.Url, registryOnCommandLine: true,
            new Dictionary<string, string?> { ["GITOPS_SIGNING_KEY"] = File.ReadAllText(keyPath), ["GITOPS_SIGNING_PASSPHRASE"] = Passphrase },
            "-p:GitOpsCommitSigningFormat=ssh");

        Assert.IsTrue(publish.Succeeded, publish.ToString());
        Assert.AreEqual(before, config.Parent(), "one commit");
        CollectionAssert.AreEquivalent(shop.Services.Select(ReleaseWorkspace.Manifest).ToArray(), config.ChangedFiles(before, "main"));
        CollectionAssert.AreEquivalent(shop.Services.Select(s => $"{environment.Registry}/{ReleaseWorkspace.Repository(s)}:{tag}").ToArray(),
            GitTrailers.ParseAll(config.Message()).Where(t => t.Key == "GitOps-Image").Select(t => t.Value).ToArray());
        var verified = TestKeys.VerifySsh(config.GitDirectory, config.Head, keys.AllowedSigners(publicKey));
        Assert.IsTrue(verified.Succeeded, verified.ToString());
        StringAssert.Contains(verified.StandardError, "Good \"git\" signature for " + TestKeys.Email);
        Assert.IsFalse(publish.ToString().Contains(Passphrase, StringComparison.Ordinal), "the passphrase is in the output");
    }
}
