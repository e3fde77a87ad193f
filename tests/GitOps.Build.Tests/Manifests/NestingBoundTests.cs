using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Manifests;

/// <summary>
/// Aliases into their own ancestors and nesting tens of thousands deep: refused with GITOPS042 on a small stack in
/// bounded time, in every format the detector picks, where they once overflowed the stack and ended MSBuild.
/// </summary>
[TestClass]
public sealed class NestingBoundTests
{
    private const string Image = "team/myapp:new";

    // 50,000 levels in 100 KB.
    private static readonly string DeepSequences = new string('[', 50_000) + new string(']', 50_000);
    private static readonly string DeepMappings = string.Concat(Enumerable.Repeat("{a: ", 25_000)) + "team/myapp:v1" + new string('}', 25_000);

    /// <summary>A file of each format the detector picks, with <paramref name="value"/> as a flow value in it; its name and text.</summary>
    private static (string Path, string Text) InFormat(string format, string value) => format switch
    {
        "Kubernetes List" => ("list.yaml", $"apiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {{name: app, labels: {{x: {value}}}}}\n"),
        "Kubernetes, sliced" => ("all.yaml", Deployment("team/myapp:v1") + $"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: myapp}}\ndata: {{x: {value}}}\n"),
        "Helm values" => ("values.yaml", $"image:\n  repository: team/myapp\n  tag: v1\nx: {value}\n"),
        "Kustomize" => ("kustomization.yaml", $"images:\n  - name: team/myapp\n    newTag: v1\nx: {value}\n"),
        "Setter markers" => ("marked.yaml", $"image: team/myapp:v1 # {{\"$imagepolicy\": \"flux-system:myapp\"}}\nx: {value}\n"),
        _ => throw new ArgumentException(format),
    };

    private static string Deployment(string image) =>
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: {image}\n";

    private static GitOpsException Refused(string path, string text) =>
        Assert.ThrowsExactly<GitOpsException>(() =>
            SmallStack.Run(() => ManifestEditor.Edit(path, Encoding.UTF8.GetBytes(text), ImageReference.Parse(Image))));

    private static ManifestEditResult Edited(string path, string text) =>
        SmallStack.Run(() => ManifestEditor.Edit(path, Encoding.UTF8.GetBytes(text), ImageReference.Parse(Image)));

    [TestMethod]
    [DataRow("Kubernetes List")]
    [DataRow("Kubernetes, sliced")]
    [DataRow("Helm values")]
    [DataRow("Kustomize")]
    [DataRow("Setter markers")]
    public void Flow_sequences_nested_50000_deep_are_refused_with_GITOPS042_on_a_small_stack(string format)
    {
        var (path, text) = InFormat(format, DeepSequences);

        var error = Refused(path, text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, error.Message);
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, $"more than {YamlTreeReader.MaxDepth} levels deep");
    }

    [TestMethod]
    [DataRow("Kubernetes List")]
    [DataRow("Kubernetes, sliced")]
    [DataRow("Helm values")]
    [DataRow("Kustomize")]
    [DataRow("Setter markers")]
    public void Flow_mappings_nested_25000_deep_are_refused_with_GITOPS042_on_a_small_stack(string format)
    {
        var (path, text) = InFormat(format, DeepMappings);

        var error = Refused(path, text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, error.Message);
        StringAssert.Contains(error.Message, $"more than {YamlTreeReader.MaxDepth} levels deep");
    }

    [TestMethod]
    [DataRow("Kubernetes List", "list.yaml", "--- &list\napiVersion: v1\nkind: List\nitems:\n  - *list\n")]
    [DataRow("Kubernetes List, flow", "list.yaml", "&list {apiVersion: v1, kind: List, items: [*list]}\n")]
    [DataRow("Kubernetes List, items", "list.yaml", "apiVersion: v1\nkind: List\nitems: &a [ *a ]\n")]
    [DataRow("Helm values", "values.yaml", "image: &image\n  repository: team/myapp\n  tag: v1\n  self: *image\n")]
    [DataRow("Kustomize", "kustomization.yaml", "images: &images\n  - name: team/myapp\n    newTag: v1\n  - *images\n")]
    [DataRow("Setter markers", "marked.yaml", "image: team/myapp:v1 # {\"$imagepolicy\": \"flux-system:myapp\"}\nloop: &loop [ *loop ]\n")]
    [DataRow("Argo CD values", "app.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source: &source\n    helm:\n      valuesObject:\n        image: {repository: team/myapp, tag: v1}\n        again: *source\n")]
    public void An_alias_inside_the_node_it_names_is_refused_with_GITOPS042(string format, string path, string text)
    {
        var error = Refused(path, text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, format + ": " + error.Message);
        StringAssert.Contains(error.Message, "is inside the node it refers to");
    }

    [TestMethod]
    public void A_chain_of_20000_aliases_each_one_level_deeper_is_refused_with_GITOPS042()
    {
        // Each link is shallow as written; followed through the aliases, Argo CD's values walk went 20,000 levels deep.
        var chain = new StringBuilder("x-chain:\n  - &c0 [team/myapp:v1]\n");
        for (var i = 1; i <= 20_000; i++)
        {
            chain.Append($"  - &c{i} [*c{i - 1}]\n");
        }

        var text = "apiVersion: argoproj.io/v1alpha1\nkind: Application\n" + chain + "spec:\n  source:\n    helm:\n      valuesObject: {image: *c20000}\n";

        var error = Refused("app.yaml", text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, error.Message);
        StringAssert.Contains(error.Message, "counting what aliases refer to");
    }

    [TestMethod]
    public void A_List_of_Lists_fanning_out_through_aliases_reads_each_object_once()
    {
        // Followed alias by alias, ten Lists of ten aliases each hold 10^9 copies of the Deployment.
        var text = new StringBuilder($"apiVersion: v1\nkind: List\nitems:\n  - &l0\n    {Deployment("team/myapp:v1").Replace("\n", "\n    ").TrimEnd()}\n");
        for (var level = 1; level <= 9; level++)
        {
            text.Append($"  - &l{level} {{apiVersion: v1, kind: List, items: [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]}}\n");
        }

        var result = Edited("list.yaml", text.ToString());

        Assert.AreEqual(1, result.Replacements.Count);
        Assert.AreEqual(text.ToString().Replace("team/myapp:v1", Image), Encoding.UTF8.GetString(result.Content));
    }

    [TestMethod]
    public void Helm_values_nested_to_the_limit_are_still_edited_on_a_small_stack()
    {
        // The image mapping's scalars sit at the deepest level read: the root mapping is level 1.
        var text = new StringBuilder();
        for (var level = 1; level < YamlTreeReader.MaxDepth - 2; level++)
        {
            text.Append(' ', 2 * (level - 1)).Append("a:\n");
        }

        var indent = new string(' ', 2 * (YamlTreeReader.MaxDepth - 3));
        text.Append(indent).Append("image:\n").Append(indent).Append("  repository: team/myapp\n").Append(indent).Append("  tag: v1\n");

        var result = Edited("values.yaml", text.ToString());

        Assert.AreEqual(text.ToString().Replace("tag: v1", "tag: new"), Encoding.UTF8.GetString(result.Content));
        Assert.AreEqual(Errors.ManifestMalformed, Refused("values.yaml", "b:\n" + string.Join('\n', text.ToString().Split('\n').Select(l => l.Length == 0 ? l : "  " + l))).Error);
    }

    [TestMethod]
    public void An_anchor_name_reused_inside_its_collection_names_the_later_node_after_the_collection_ends()
    {
        // *a is the tag (the later &a), so the tag is shared and the edit refused; were it the mapping, it would be edited.
        var error = Assert.ThrowsExactly<GitOpsException>(() => Edited("values.yaml", "image: &a {repository: team/myapp, tag: &a v1}\nagain: *a\n"));

        Assert.AreEqual(Errors.ImageValueShared, error.Error, error.Message);
    }
}
