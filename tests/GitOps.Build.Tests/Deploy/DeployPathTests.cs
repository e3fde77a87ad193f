using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// ConfigDeployer's one path, on real local bare repositories: a single deploy is a release of one image, and what a
/// release checks it checks for every image (the re-pushed tag of GITOPS061, the promotion's source of GITOPS112).
/// </summary>
[TestClass]
public sealed class DeployPathTests
{
    private static readonly string DigestA = "sha256:" + new string('a', 64);
    private static readonly string DigestB = "sha256:" + new string('b', 64);
    private static readonly string DigestC = "sha256:" + new string('c', 64);

    private readonly RecordingLog log = new();

    private static DeploymentRequest Request(ConfigRemote remote, string image, string? digest, string manifest, string project) =>
        new(new DeploymentFacts(ImageReference.Parse(image), digest, null, null, project),
            ConfigRepositoryLocation.Parse(remote.Path), "main", [new ManifestTarget(manifest, new ManifestEditOptions())], null, "Bot", "bot@example.com", false);

    private Deployment Deploy(ConfigRemote remote, params DeploymentRequest[] requests) =>
        new ConfigDeployer(null, log, new ConfigWriterOptions { WorkDirectory = remote.WorkDirectory }).Deploy(requests);

    [TestMethod]
    public void A_single_deploy_is_a_release_of_one_image_with_the_image_at_the_top_of_its_outcome()
    {
        using var remote = TwoApps.Create();

        var (result, outcome) = Deploy(remote, Request(remote, "registry.example.com/web:bbb2222", DigestA, TwoApps.WebManifest, "Web.csproj"));

        Assert.IsTrue(result.Committed);
        Assert.AreEqual("registry.example.com/web:bbb2222", outcome.Image);
        Assert.AreEqual(DigestA, outcome.Digest);
        Assert.AreEqual(1, outcome.Images!.Count);
        StringAssert.StartsWith(remote.RawMessage(result.CommitSha!), "Deploy web:bbb2222\n");
    }

    [TestMethod]
    public void A_rerun_release_whose_first_image_was_pushed_again_as_another_digest_warns_GITOPS061_for_that_image()
    {
        using var remote = TwoApps.Create();
        Deploy(remote,
            Request(remote, "registry.example.com/web:bbb2222", DigestA, TwoApps.WebManifest, "Web.csproj"),
            Request(remote, "registry.example.com/api:ddd4444", DigestB, TwoApps.ApiManifest, "Api.csproj"));
        log.Important.Clear();

        // The re-run pushed web's tag again (another digest), api's as it was: web is the first image of the tip's trailers.
        var (result, _) = Deploy(remote,
            Request(remote, "registry.example.com/web:bbb2222", DigestC, TwoApps.WebManifest, "Web.csproj"),
            Request(remote, "registry.example.com/api:ddd4444", DigestB, TwoApps.ApiManifest, "Api.csproj"));

        Assert.IsFalse(result.Committed);
        var warnings = log.Important.Where(line => line.StartsWith("warning GITOPS061", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, warnings.Count, string.Join('\n', log.Important));
        StringAssert.Contains(warnings[0], "registry.example.com/web:bbb2222");
        StringAssert.Contains(warnings[0], DigestA);
    }

    [TestMethod]
    public void A_promotion_whose_source_environment_changed_since_it_was_read_is_GITOPS112_and_commits_nothing()
    {
        using var remote = TwoApps.Create();
        // Read: api ran ccc3333. Meanwhile a deploy to it landed: it runs eee5555 on the tip the promotion commits to.
        TwoApps.DeployApi(remote, "eee5555");
        var tip = remote.Tip("main");
        var source = new PromotionSource("api", [new ManifestTarget(TwoApps.ApiManifest, new ManifestEditOptions())],
            ImageReference.Parse("registry.example.com/api"), ImageReference.Parse("registry.example.com/api:ccc3333"));

        var error = Assert.ThrowsExactly<GitOpsException>(() => Deploy(remote,
            Request(remote, "registry.example.com/api:ccc3333", null, TwoApps.WebManifest, "Api.csproj") with { PromotedFrom = source }));

        Assert.AreEqual("GITOPS112", error.Code);
        Assert.AreEqual(tip, remote.Tip("main"), "nothing was pushed");
    }

    [TestMethod]
    public void A_promotion_whose_source_environment_still_runs_what_was_read_is_committed()
    {
        using var remote = TwoApps.Create();
        var source = new PromotionSource("web", [new ManifestTarget(TwoApps.WebManifest, new ManifestEditOptions())],
            ImageReference.Parse("registry.example.com/web"), ImageReference.Parse("registry.example.com/web:aaa1111"));

        var (result, _) = Deploy(remote,
            Request(remote, "registry.example.com/api:fff6666", null, TwoApps.ApiManifest, "Api.csproj") with { PromotedFrom = source });

        Assert.IsTrue(result.Committed);
    }
}
