using System.Security;

namespace GitOps.Build.Tests.Targets;

/// <summary>
/// _GitOpsReadPushedImage after a multi-RID PublishContainer, whose outputs a stand-in target sets here as the SDK's
/// _PublishMultiArchContainers does (its real run, against the registry, is in Integration/MultiArchPublishTests): the
/// digest deployed is the index's, and an index that is not the one pushed is refused with GITOPS095.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ImageIndexDigestTests
{
    private const string Amd64 = "sha256:9a4e7b1754852a08fbc60625c65ce2d05b0053d1750b12c9b3e4783bf31bab04";
    private const string Arm64 = "sha256:f205a1eee2f98bf2c0487c0d3c30e4dd76cd94461941ffb23f144351007a1d55";

    // The index SDK 10.0.401 pushed for those two images, byte for byte as the registry returned it, and the digest
    // the registry gave it (Docker-Content-Digest).
    private const string PushedIndex =
        """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":747,"digest":"sha256:9a4e7b1754852a08fbc60625c65ce2d05b0053d1750b12c9b3e4783bf31bab04","platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":747,"digest":"sha256:f205a1eee2f98bf2c0487c0d3c30e4dd76cd94461941ffb23f144351007a1d55","platform":{"architecture":"arm64","os":"linux"}}]}""";
    private const string RegistryDigest = "sha256:d04fd86002710f0513f2af5203de71983144fcd09eb9ce86b1920610423d13c8";

    private static TargetRun ReadPushedImage(string index, params string[] imageDigests)
    {
        // Each image is listed twice, as the SDK's @(GeneratedContainer) lists it.
        var items = string.Concat(imageDigests.Select((digest, i) =>
            $"""<GeneratedContainer Include="img{i}" ManifestDigest="{digest}" /><GeneratedContainer Include="img{i}" ManifestDigest="{digest}" />"""));
        using var project = TargetsProject.Create(
            new Dictionary<string, string>
            {
                ["ContainerRegistry"] = "registry.example.com",
                ["ContainerRepository"] = "team/app",
                ["GitOpsResolvedImageTag"] = "1a38f85",
            },
            afterTargets: $"""
                <Target Name="StandInMultiArchPush">
                  <PropertyGroup><GeneratedImageIndex>{SecurityElement.Escape(index)}</GeneratedImageIndex></PropertyGroup>
                  <ItemGroup>{items}</ItemGroup>
                </Target>
                <Target Name="ReadAfterPush" DependsOnTargets="StandInMultiArchPush;_GitOpsReadPushedImage" />
                """);
        return project.Build("ReadAfterPush");
    }

    [TestMethod]
    public void The_deployed_digest_is_the_registrys_digest_of_the_index_not_of_an_image()
    {
        var run = ReadPushedImage(PushedIndex, Amd64, Arm64);

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.AreEqual(RegistryDigest, run.Property("GitOpsImageDigest"));
        Assert.AreEqual("registry.example.com/team/app:1a38f85", run.Property("GitOpsImage"));
    }

    [TestMethod]
    public void An_index_that_does_not_list_a_pushed_image_is_refused_with_GITOPS095()
    {
        const string other = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

        var run = ReadPushedImage(PushedIndex, Amd64, other);

        Assert.IsFalse(run.Succeeded);
        CollectionAssert.AreEqual(new[] { "GITOPS095" }, run.Log.ErrorCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, other);
        Assert.AreEqual("", run.Property("GitOpsImageDigest"), "no digest to deploy");
    }

    [TestMethod]
    public void Text_that_is_not_an_image_index_is_refused_with_GITOPS095()
    {
        // The index text serialized once more as a JSON string: what a digest of it would pin does not exist.
        var quoted = System.Text.Json.JsonSerializer.Serialize(PushedIndex);

        var run = ReadPushedImage(quoted, Amd64, Arm64);

        CollectionAssert.AreEqual(new[] { "GITOPS095" }, run.Log.ErrorCodes.ToList(), run.ToString());
        StringAssert.Contains(run.Log.Errors[0].Message, "is not an image index");
    }
}
