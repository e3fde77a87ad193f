using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using static GitOps.Build.Tests.Manifests.ManifestEditAssert;

namespace GitOps.Build.Tests.Manifests;

[TestClass]
public sealed class HelmValuesTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private const string Values = """
        # Default values for myapp.
        replicaCount: 2
        image:
          registry: registry.example.com
          repository: team/myapp
          tag: "old"   # overridden by CI
          pullPolicy: IfNotPresent
        worker:
          image:
            repository: registry.example.com/team/myapp-worker
            tag: old
        sidecars:
          - name: proxy
            image: envoyproxy/envoy:v1.30.1
        env:
          IMAGE: registry.example.com/team/myapp:old
        """;

    [TestMethod]
    public void SplitImageWithRegistryKey_SetsTagInItsStyle()
    {
        var result = Edit(Values, "registry.example.com/team/myapp:1234567");

        Assert.AreEqual(Values.Replace("tag: \"old\"", "tag: \"1234567\""), Text(result));
        CollectionAssert.AreEqual(
            new[] { "registry.example.com/team/myapp:old", "registry.example.com/team/myapp-worker:old", "envoyproxy/envoy:v1.30.1" },
            result.ImagesFound.ToArray());
    }

    [TestMethod]
    public void NestedSplitImage_PlainNumericTag_IsQuoted() =>
        Edits(Values, "registry.example.com/team/myapp-worker:72225e2", Values.Replace("  tag: old", "  tag: \"72225e2\""));

    [TestMethod]
    public void SingleImageString_IsReplacedWhole() =>
        Edits(Values, "envoyproxy/envoy:v1.31.0", Values.Replace("envoyproxy/envoy:v1.30.1", "envoyproxy/envoy:v1.31.0"));

    [TestMethod]
    public void ConfiguredKeyNames_AndNoRegistryKey()
    {
        const string input = "app:\n  img:\n    registry: ignored.io\n    repo: ghcr.io/org/app\n    version: v1 # pinned\n";
        var options = new ManifestEditOptions { HelmKeys = new HelmImageKeys { Repository = "repo", Tag = "version", Registry = null } };

        Edits(input, "ghcr.io/org/app:v2", input.Replace("version: v1", "version: v2"), options);
    }

    [TestMethod]
    public void ValuePath_SetsExactlyThatValue()
    {
        const string input = "web:\n  image:\n    name: whatever\n    tag: old\n  other:\n    tag: old\n";

        var result = Edit(input, "team/myapp:new", new ManifestEditOptions { ValuePath = "web.image.tag" });

        Assert.AreEqual(input.Replace("name: whatever\n    tag: old", "name: whatever\n    tag: new"), Text(result));
        Fails(input, "team/myapp:new", Errors.NoImageReference, new ManifestEditOptions { ValuePath = "web.image.nope" });
    }

    [TestMethod]
    public void ValuePath_DigestKeyGetsTheDigest_ImageKeyTheWholeReference()
    {
        const string input = "a:\n  digest: ''\n  image: team/myapp:old\n";

        Edits(input, $"team/myapp:new@{Sha}", $"a:\n  digest: '{Sha}'\n  image: team/myapp:old\n", new ManifestEditOptions { ValuePath = "a.digest" });
        Edits(input, "team/myapp:new", "a:\n  digest: ''\n  image: team/myapp:new\n", new ManifestEditOptions { ValuePath = "a.image" });
    }

    [TestMethod]
    public void DigestFormat_NeedsADigestKey_AndKeepsAnExistingTagTruthful()
    {
        const string withKey = "image:\n  repository: team/myapp\n  tag: old\n  digest: \"\"\n";

        Edits(withKey, $"team/myapp:new@{Sha}", withKey.Replace("digest: \"\"", $"digest: \"{Sha}\"").Replace("tag: old", "tag: new"), new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.Digest });
        Fails("image:\n  repository: team/myapp\n  tag: old\n", $"team/myapp:new@{Sha}", Errors.DigestKeyMissing, new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.Digest });
    }

    [TestMethod]
    public void MissingTagKey_IsAdded() =>
        Edits("image:\n  repository: team/myapp\n  pullPolicy: Always\n", "team/myapp:v1", "image:\n  repository: team/myapp\n  pullPolicy: Always\n  tag: v1\n");

    [TestMethod]
    public void EmptyFile_HasNoImages()
    {
        var error = Fails("# nothing here\n", "team/myapp:v1", Errors.NoImageReference);

        StringAssert.Contains(error.Message, "Images found there: none");
    }

    private static string Text(ManifestEditResult result) => System.Text.Encoding.UTF8.GetString(result.Content);
}
