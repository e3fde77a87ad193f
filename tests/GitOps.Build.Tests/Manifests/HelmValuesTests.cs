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
    public void A_split_image_with_a_registry_key_gets_its_tag_set_in_its_style()
    {
        var result = Edit(Values, "registry.example.com/team/myapp:1234567");

        Assert.AreEqual(Values.Replace("tag: \"old\"", "tag: \"1234567\""), Text(result));
        CollectionAssert.AreEqual(
            new[] { "registry.example.com/team/myapp:old", "registry.example.com/team/myapp-worker:old", "envoyproxy/envoy:v1.30.1" },
            result.ImagesFound.ToArray());
    }

    [TestMethod]
    public void A_plain_numeric_tag_of_a_nested_split_image_is_quoted() =>
        Edits(Values, "registry.example.com/team/myapp-worker:72225e2", Values.Replace("  tag: old", "  tag: \"72225e2\""));

    [TestMethod]
    public void A_single_image_string_is_replaced_whole() =>
        Edits(Values, "envoyproxy/envoy:v1.31.0", Values.Replace("envoyproxy/envoy:v1.30.1", "envoyproxy/envoy:v1.31.0"));

    [TestMethod]
    public void Configured_key_names_without_a_registry_key_are_used()
    {
        const string input = "app:\n  img:\n    registry: ignored.io\n    repo: ghcr.io/org/app\n    version: v1 # pinned\n";
        var options = new ManifestEditOptions { HelmKeys = new HelmImageKeys { Repository = "repo", Tag = "version", Registry = null } };

        Edits(input, "ghcr.io/org/app:v2", input.Replace("version: v1", "version: v2"), options);
    }

    [TestMethod]
    public void ValuePath_sets_exactly_that_value()
    {
        const string input = "web:\n  image:\n    name: whatever\n    tag: old\n  other:\n    tag: old\n";

        var result = Edit(input, "team/myapp:new", new ManifestEditOptions { ValuePath = "web.image.tag" });

        Assert.AreEqual(input.Replace("name: whatever\n    tag: old", "name: whatever\n    tag: new"), Text(result));
        Fails(input, "team/myapp:new", Errors.NoImageReference, new ManifestEditOptions { ValuePath = "web.image.nope" });
    }

    [TestMethod]
    public void With_ValuePath_a_digest_key_gets_the_digest_and_an_image_key_the_whole_reference()
    {
        const string input = "a:\n  digest: ''\n  image: team/myapp:old\n";

        Edits(input, $"team/myapp:new@{Sha}", $"a:\n  digest: '{Sha}'\n  image: team/myapp:old\n", new ManifestEditOptions { ValuePath = "a.digest" });
        Edits(input, "team/myapp:new", "a:\n  digest: ''\n  image: team/myapp:new\n", new ManifestEditOptions { ValuePath = "a.image" });
    }

    [TestMethod]
    public void The_Digest_format_needs_a_digest_key_and_keeps_an_existing_tag_truthful()
    {
        const string withKey = "image:\n  repository: team/myapp\n  tag: old\n  digest: \"\"\n";

        Edits(withKey, $"team/myapp:new@{Sha}", withKey.Replace("digest: \"\"", $"digest: \"{Sha}\"").Replace("tag: old", "tag: new"), new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.Digest });
        Fails("image:\n  repository: team/myapp\n  tag: old\n", $"team/myapp:new@{Sha}", Errors.DigestKeyMissing, new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.Digest });
    }

    [TestMethod]
    public void A_missing_tag_key_is_added() =>
        Edits("image:\n  repository: team/myapp\n  pullPolicy: Always\n", "team/myapp:v1", "image:\n  repository: team/myapp\n  pullPolicy: Always\n  tag: v1\n");

    [TestMethod]
    public void An_empty_file_has_no_images()
    {
        var error = Fails("# nothing here\n", "team/myapp:v1", Errors.NoImageReference);

        StringAssert.Contains(error.Message, "Images found there: none");
    }

    private static string Text(ManifestEditResult result) => System.Text.Encoding.UTF8.GetString(result.Content);
}
