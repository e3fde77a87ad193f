using System.Text;
using GitOps.Build.ConfigRepo;
using GitOps.Build.Deploy;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// A deployed commit published again: its tag is pushed again with another digest (the SDK's images are not
/// reproducible) while the config, pinning the tag, does not change. The deploy commit's recorded digest is then
/// wrong, and the user is told (GITOPS061).
/// </summary>
[TestClass]
public sealed class RetaggedImageTests
{
    private const string Image = "registry.example.com/team/app:a1b2c3d";
    private const string FirstDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string SecondDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly RecordingLog log = new();

    private ConfigCommitResult Deploy(ConfigRemote remote, string digest, ImageReferenceFormat format = ImageReferenceFormat.Tag) =>
        OneApp.Deploy(remote, log, new DeploymentFacts(ImageReference.Parse(Image), digest, null, null, null), format).Result;

    private static ConfigRemote Remote() => OneApp.Create("registry.example.com/team/app:initial");

    private IEnumerable<string> Warnings => log.Important.Where(line => line.StartsWith("warning GITOPS061", StringComparison.Ordinal));

    [TestMethod]
    public void The_same_tag_pushed_again_with_another_digest_is_a_warning_naming_both_digests()
    {
        using var remote = Remote();
        var deploy = Deploy(remote, FirstDigest);

        var again = Deploy(remote, SecondDigest);

        Assert.IsFalse(again.Committed);
        var warning = Warnings.Single();
        StringAssert.Contains(warning, FirstDigest);
        StringAssert.Contains(warning, SecondDigest);
        StringAssert.Contains(warning, deploy.CommitSha![..7]);
        StringAssert.Contains(warning, "GitOpsImageReferenceFormat=TagAndDigest");
    }

    [TestMethod]
    public void The_same_digest_again_is_no_warning()
    {
        using var remote = Remote();
        Deploy(remote, FirstDigest);

        Deploy(remote, FirstDigest);

        Assert.IsFalse(Warnings.Any(), string.Join('\n', log.Important));
    }

    [TestMethod]
    public void With_the_digest_in_the_config_the_new_digest_is_deployed_instead()
    {
        using var remote = Remote();
        Deploy(remote, FirstDigest, ImageReferenceFormat.TagAndDigest);

        var again = Deploy(remote, SecondDigest, ImageReferenceFormat.TagAndDigest);

        Assert.IsTrue(again.Committed);
        StringAssert.Contains(Encoding.UTF8.GetString(remote.Show("main", OneApp.ManifestPath)), $"{Image}@{SecondDigest}");
        Assert.IsFalse(Warnings.Any(), string.Join('\n', log.Important));
    }

    [TestMethod]
    public void A_tip_that_deploys_another_image_is_not_compared()
    {
        using var remote = Remote();
        Deploy(remote, FirstDigest);
        remote.Change("main", "deploy(api)\n\nGitOps-Image: registry.example.com/team/api:b2c3d4e\nGitOps-Image-Digest: " + FirstDigest,
            new Dictionary<string, string> { ["apps/api/deployment.yaml"] = "image: registry.example.com/team/api:b2c3d4e\n" });

        Deploy(remote, SecondDigest);

        Assert.IsFalse(Warnings.Any(), "only the tip is read: it is another image's deploy");
    }

    [TestMethod]
    public void A_tip_that_is_a_release_is_compared_with_this_images_group_not_the_last_one()
    {
        using var remote = Remote();
        Deploy(remote, FirstDigest);
        // The release's first image is this app: one value per key would read the api's group only.
        remote.Change("main", "Deploy team/app:a1b2c3d, team/api:b2c3d4e\n\n"
            + $"GitOps-Images: {Image} registry.example.com/team/api:b2c3d4e\n"
            + $"GitOps-Image: {Image}\nGitOps-Image-Digest: {FirstDigest}\nGitOps-Project: App.csproj\n"
            + $"GitOps-Image: registry.example.com/team/api:b2c3d4e\nGitOps-Image-Digest: {SecondDigest}\nGitOps-Project: Api.csproj\n",
            new Dictionary<string, string> { ["apps/api/deployment.yaml"] = "image: registry.example.com/team/api:b2c3d4e\n" });

        Deploy(remote, SecondDigest);

        var warning = Warnings.Single();
        StringAssert.Contains(warning, FirstDigest);
        StringAssert.Contains(warning, SecondDigest);
    }
}
