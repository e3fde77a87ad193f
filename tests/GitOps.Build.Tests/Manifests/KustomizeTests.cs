using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using static GitOps.Build.Tests.Manifests.ManifestEditAssert;

namespace GitOps.Build.Tests.Manifests;

[TestClass]
public sealed class KustomizeTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly ManifestEditOptions Kustomize = new() { Format = ManifestFormat.Kustomize };

    private const string Kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - deployment.yaml
        images:
          - name: team/myapp # the base's image
            newName: registry.example.com/team/myapp
            newTag: old
          - name: team/myapp-worker
            newTag: old

        """;

    [TestMethod]
    public void A_match_on_newName_sets_newTag_only()
    {
        var result = Edit(Kustomization, "registry.example.com/team/myapp:a1b2c3d");

        Assert.AreEqual(Kustomization.Replace("newTag: old\n  - name: team/myapp-worker", "newTag: a1b2c3d\n  - name: team/myapp-worker"), Text(result));
        Assert.AreEqual(new ImageReplacement(8, 13, "old", "a1b2c3d"), result.Replacements.Single());
        CollectionAssert.AreEqual(new[] { "registry.example.com/team/myapp:old", "team/myapp-worker:old" }, result.ImagesFound.ToArray());
    }

    [TestMethod]
    public void A_match_on_name_retargets_newName()
    {
        var result = Edit(Kustomization, "team/myapp:v2");

        Assert.AreEqual(Kustomization.Replace("newName: registry.example.com/team/myapp\n    newTag: old", "newName: team/myapp\n    newTag: v2"), Text(result));
    }

    [TestMethod]
    [DataRow("1234567", "\"1234567\"")]
    [DataRow("72225e2", "\"72225e2\"")]
    [DataRow("0x1f", "\"0x1f\"")]
    [DataRow("1.5", "\"1.5\"")]
    [DataRow("true", "\"true\"")]
    [DataRow("2024-01-15", "\"2024-01-15\"")]
    [DataRow("a1b2c3d", "a1b2c3d")]
    [DataRow("1.2.3", "1.2.3")]
    [DataRow("v1.0", "v1.0")]
    public void NumberLikeTag_StaysAString(string tag, string written)
    {
        const string input = "images:\n- name: team/myapp\n  newTag: 1234 # was a number\n";

        Edits(input, "team/myapp:" + tag, $"images:\n- name: team/myapp\n  newTag: {written} # was a number\n", Kustomize);
    }

    [TestMethod]
    public void A_quoted_tag_keeps_its_quotes()
    {
        const string input = "images:\n- {name: team/myapp, newTag: '1.0'}\n";

        Edits(input, "team/myapp:2.0", "images:\n- {name: team/myapp, newTag: '2.0'}\n", Kustomize);
    }

    [TestMethod]
    public void A_missing_newTag_is_added_with_the_entrys_indent_and_line_endings()
    {
        const string input = "images:\r\n  -   name: team/myapp\r\n      newName: r.io/team/myapp # keep\r\n# trailing\r\n";

        Edits(input, "r.io/team/myapp:v2", "images:\r\n  -   name: team/myapp\r\n      newName: r.io/team/myapp # keep\r\n      newTag: v2\r\n# trailing\r\n", Kustomize);
    }

    [TestMethod]
    public void The_Digest_format_sets_the_digest_and_an_existing_tag_and_TagAndDigest_sets_both()
    {
        const string input = "images:\n- name: team/myapp\n  newTag: old\n  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n";

        // An existing newTag is kept truthful: kustomize would otherwise render team/myapp:old@<new digest>.
        Edits(input, $"team/myapp:new@{Sha}", input.Replace("sha256:1111111111111111111111111111111111111111111111111111111111111111", Sha).Replace("newTag: old", "newTag: new"),
            Kustomize with { ReferenceFormat = ImageReferenceFormat.Digest });
        Edits(input, $"team/myapp:new@{Sha}", input.Replace("sha256:1111111111111111111111111111111111111111111111111111111111111111", Sha).Replace(":old", ":new").Replace("newTag: old", "newTag: new"),
            Kustomize with { ReferenceFormat = ImageReferenceFormat.TagAndDigest });
    }

    [TestMethod]
    public void A_tag_only_update_next_to_an_old_digest_is_refused()
    {
        const string input = "images:\n- name: team/myapp\n  newTag: old\n  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n";

        var error = Fails(input, "team/myapp:new", Errors.StaleDigest, Kustomize);

        StringAssert.Contains(error.Message, "line 4");
    }

    [TestMethod]
    public void No_entry_fails_without_AddIfMissing()
    {
        var error = Fails(Kustomization, "team/other:v1", Errors.NoImageReference);

        StringAssert.Contains(error.Message, "registry.example.com/team/myapp:old, team/myapp-worker:old");
    }

    [TestMethod]
    public void AddIfMissing_appends_an_entry_like_the_others()
    {
        var result = Edit(Kustomization, "team/other:1234", Kustomize with { AddIfMissing = true });

        Assert.AreEqual(Kustomization + "  - name: team/other\n    newTag: \"1234\"\n", Text(result));
        Assert.IsTrue(result.Changed);
        Assert.AreEqual(new ImageReplacement(11, 1, "", "team/other:1234"), result.Replacements.Single());
    }

    [TestMethod]
    public void AddIfMissing_adds_the_images_key()
    {
        const string input = "resources:\n- base # no newline at end";

        Edits(input, "team/myapp:v1", input + "\nimages:\n- name: team/myapp\n  newTag: v1\n", Kustomize with { AddIfMissing = true });
    }

    [TestMethod]
    [DataRow("images: []\n")]
    [DataRow("images:\n-\n  name: other\n")]
    public void AddIfMissing_is_refused_where_the_shape_is_not_copyable(string input) =>
        Fails(input, "team/myapp:v1", Errors.ImageEntryNotAddable, Kustomize with { AddIfMissing = true });

    [TestMethod]
    [DataRow("kustomization.yaml", "resources: [a.yaml]\nimages:\n- name: team/myapp\n  newTag: old\n")]
    [DataRow("overlay.yaml", "kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nimages:\n- name: team/myapp\n  newTag: old\n")]
    public void A_kustomization_is_detected_by_file_name_or_kind(string path, string input)
    {
        var result = ManifestEditor.Edit(path, System.Text.Encoding.UTF8.GetBytes(input), ImageReference.Parse("team/myapp:new"));

        Assert.AreEqual(input.Replace("newTag: old", "newTag: new"), Text(result));
    }

    private static string Text(ManifestEditResult result) => System.Text.Encoding.UTF8.GetString(result.Content);
}
