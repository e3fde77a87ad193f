using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using static GitOps.Build.Tests.Manifests.ManifestEditAssert;

namespace GitOps.Build.Tests.Manifests;

/// <summary>Only the image scalar's bytes change; everything around it survives byte for byte.</summary>
[TestClass]
public sealed class ByteExactnessTests
{
    private const string Header = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n";

    [TestMethod]
    [DataRow("  - image: team/myapp:old # pinned by CI\n", "  - image: team/myapp:new # pinned by CI\n")]
    [DataRow("  - image: team/myapp:old# not a comment\n", null)]
    [DataRow("  - image: 'team/myapp:old'   # single\n", "  - image: 'team/myapp:new'   # single\n")]
    [DataRow("  - image: \"team/myapp:old\"\n", "  - image: \"team/myapp:new\"\n")]
    [DataRow("  - {name: a, image: team/myapp:old}\n", "  - {name: a, image: team/myapp:new}\n")]
    [DataRow("  - { name: a,  image: 'team/myapp:old' , x: [1, 2] }\n", "  - { name: a,  image: 'team/myapp:new' , x: [1, 2] }\n")]
    [DataRow("  - name: a\n\n\n    image:   team/myapp:old   \n\n", "  - name: a\n\n\n    image:   team/myapp:new   \n\n")]
    [DataRow("  - image: !!str team/myapp:old\n", "  - image: !!str team/myapp:new\n")]
    [DataRow("  - image:\n      team/myapp:old\n", "  - image:\n      team/myapp:new\n")]
    [DataRow("  -   image: team/myapp:old\n      name: z\n", "  -   image: team/myapp:new\n      name: z\n")]
    public void ScalarStylesAndSurroundings_Survive(string containers, string? expected)
    {
        if (expected is null)
        {
            // "team/myapp:old# not a comment" is one plain scalar that does not parse as an image reference.
            Fails(Header + containers, "team/myapp:new", Errors.NoImageReference);
            return;
        }

        Edits(Header + containers, "team/myapp:new", Header + expected);
    }

    [TestMethod]
    public void CRLF_and_BOM_survive()
    {
        var input = "# deployed by GitOps\r\n" + Header.Replace("\n", "\r\n") + "  - image: team/myapp:old  # c\r\n\r\n";
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var bytes = bom.Concat(Encoding.UTF8.GetBytes(input)).ToArray();

        var result = ManifestEditor.Edit("m.yaml", bytes, ImageReference.Parse("team/myapp:new"));

        var expected = bom.Concat(Encoding.UTF8.GetBytes(input.Replace(":old", ":new"))).ToArray();
        CollectionAssert.AreEqual(expected, result.Content);
        Assert.AreEqual(new ImageReplacement(6, 12, "team/myapp:old", "team/myapp:new"), result.Replacements.Single());
    }

    [TestMethod]
    public void Non_ASCII_text_before_the_image_survives()
    {
        var input = "# Überblick: 日本語 🚀\n" + Header + "  - image: team/myapp:old # ✓\n";

        Edits(input, "team/myapp:new", input.Replace(":old", ":new"));
    }

    [TestMethod]
    public void Document_markers_survive()
    {
        var input = "%YAML 1.1\n---\n" + Header + "  - image: team/myapp:old\n...\n--- # second\n" + Header + "  - image: team/myapp:old\n...\n";

        var result = Edit(input, "team/myapp:new");

        Assert.AreEqual(input.Replace(":old", ":new"), Encoding.UTF8.GetString(result.Content));
        Assert.AreEqual(2, result.Replacements.Count);
    }

    [TestMethod]
    public void An_anchored_image_used_only_as_images_is_edited_once()
    {
        var input = Header + "  - name: app\n    image: &img team/myapp:old # anchor\n  initContainers:\n  - name: migrate\n    image: *img\n";

        var result = Edit(input, "team/myapp:new");

        Assert.AreEqual(input.Replace(":old", ":new"), Encoding.UTF8.GetString(result.Content));
        Assert.AreEqual(new ImageReplacement(6, 17, "team/myapp:old", "team/myapp:new"), result.Replacements.Single());
    }

    [TestMethod]
    public void An_anchored_image_also_used_elsewhere_is_refused()
    {
        var input = "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    built-from: &img team/myapp:old\nspec:\n  containers:\n  - image: *img\n";

        var error = Fails(input, "team/myapp:new", Errors.ImageValueShared);

        StringAssert.Contains(error.Message, "&img");
        StringAssert.Contains(error.Message, "line 5");
    }

    [TestMethod]
    public void An_aliased_container_is_edited_once_through_its_anchor()
    {
        var input = Header + "  - &app {name: app, image: team/myapp:old}\n  initContainers:\n  - *app\n";

        Assert.AreEqual(1, Edit(input, "team/myapp:new").Replacements.Count);
        Edits(input, "team/myapp:new", input.Replace(":old", ":new"));
    }

    [TestMethod]
    [DataRow("|")]
    [DataRow(">-")]
    public void A_block_scalar_image_is_refused(string indicator)
    {
        var error = Fails(Header + $"  - image: {indicator}\n      team/myapp:old\n", "team/myapp:new", Errors.ImageInBlockScalar);

        StringAssert.Contains(error.Message, "line 5");
    }

    [TestMethod]
    public void An_unrelated_block_scalar_is_left_alone()
    {
        var input = Header + "  - image: |\n      other/app:v1\n  - image: team/myapp:old\n";

        Edits(input, "team/myapp:new", input.Replace(":old", ":new"));
    }

    [TestMethod]
    public void Malformed_YAML_is_a_malformed_manifest()
    {
        var error = Fails(Header + "  - image: [team/myapp:old\n", "team/myapp:new", Errors.ManifestMalformed);

        StringAssert.Contains(error.Message, "manifest.yaml");
    }

    [TestMethod]
    public void Invalid_UTF8_is_a_malformed_manifest()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "  - image: team/myapp:old\n").Append((byte)0xFF).ToArray();

        var error = Assert.ThrowsExactly<GitOpsException>(() => ManifestEditor.Edit("m.yaml", bytes, ImageReference.Parse("team/myapp:new")));

        Assert.AreEqual(Errors.ManifestMalformed, error.Error);
    }

    [TestMethod]
    public void The_Digest_format_writes_the_digest_only_and_the_Tag_format_needs_a_tag()
    {
        const string sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var input = Header + "  - image: team/myapp:old\n";

        Edits(input, $"team/myapp:new@{sha}", input.Replace(":old", "@" + sha), new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.Digest });
        Edits(input, $"team/myapp:new@{sha}", input.Replace(":old", ":new@" + sha), new ManifestEditOptions { ReferenceFormat = ImageReferenceFormat.TagAndDigest });
        Edits(input, $"team/myapp:new@{sha}", input.Replace(":old", ":new"));
        Fails(input, $"team/myapp@{sha}", Errors.ImageReferenceFormatUnsatisfied);
    }
}
