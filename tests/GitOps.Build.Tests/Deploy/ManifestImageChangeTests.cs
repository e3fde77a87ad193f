using System.Text;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;

namespace GitOps.Build.Tests.Deploy;

[TestClass]
public sealed class ManifestImageChangeTests
{
    private static readonly ImageReference Image = ImageReference.Parse("registry.example.com/team/web:abc1234");

    private static string Deployment(string image) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: {image}

        """;

    private static DictionaryTree Repository() => new(new Dictionary<string, string>
    {
        ["apps/web/deployment.yaml"] = Deployment("registry.example.com/team/web:old"),
        ["apps/web/README.md"] = "image: registry.example.com/team/web:old is documented here",
        ["apps/worker/deployment.yaml"] = Deployment("registry.example.com/team/worker:old"),
        ["apps/web/overlays/prod/deployment.yml"] = Deployment("registry.example.com/team/web:old"),
    });

    private static ManifestImageChange Change(params string[] paths) =>
        new(paths.Select(p => new ManifestTarget(p, new ManifestEditOptions())).ToList(), Image, "main", "https://git.example.com/config.git");

    private static string Text(DeployVerdict verdict, string path) => Encoding.UTF8.GetString(verdict.Files.Single(file => file.Path == path).NewContent);

    private static string[] Paths(DeployVerdict verdict) => verdict.Files.Select(file => file.Path).ToArray();

    [TestMethod]
    public void A_file_is_edited_and_only_that_file_is_read()
    {
        var tree = Repository();

        var changes = Change("apps/web/deployment.yaml").Apply(tree);

        CollectionAssert.AreEqual(new[] { "apps/web/deployment.yaml" }, Paths(changes));
        Assert.AreEqual(Deployment("registry.example.com/team/web:abc1234"), Text(changes, "apps/web/deployment.yaml"));
        CollectionAssert.AreEqual(new[] { "apps/web/deployment.yaml" }, tree.Reads,
            "read once: the tree tells a file from a directory without reading it");
    }

    [TestMethod]
    public void A_directory_edits_every_yaml_file_under_it_that_names_the_image()
    {
        var changes = Change("apps/web").Apply(Repository());

        CollectionAssert.AreEquivalent(new[] { "apps/web/deployment.yaml", "apps/web/overlays/prod/deployment.yml" }, Paths(changes));
    }

    [TestMethod]
    public void A_glob_edits_the_files_it_matches_across_folders()
    {
        var change = Change("apps/**/deployment.y*ml");

        var changes = change.Apply(Repository());

        CollectionAssert.AreEquivalent(new[] { "apps/web/deployment.yaml", "apps/web/overlays/prod/deployment.yml" }, Paths(changes));
        Assert.AreEqual(2, ((DeployVerdict.Edited)changes).Replacements.Count);
    }

    [TestMethod]
    public void A_glob_that_matches_no_file_fails_with_GITOPS017()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Change("clusters/*/kustomization.yaml").Apply(Repository()));

        Assert.AreEqual("GITOPS017", error.Code);
    }

    [TestMethod]
    public void A_directory_without_the_image_fails_with_GITOPS040_listing_what_it_found()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Change("apps/worker").Apply(Repository()));

        Assert.AreEqual("GITOPS040", error.Code);
        StringAssert.Contains(error.Message, "registry.example.com/team/worker:old");
    }

    [TestMethod]
    public void A_missing_file_fails_with_GITOPS006_naming_path_and_branch()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Change("apps/api/deployment.yaml").Apply(Repository()));

        Assert.AreEqual("GITOPS006", error.Code);
        StringAssert.Contains(error.Message, "apps/api/deployment.yaml");
        StringAssert.Contains(error.Message, "'main'");
    }

    [TestMethod]
    public void A_file_already_at_the_image_is_not_a_change()
    {
        var tree = new DictionaryTree(new() { ["d.yaml"] = Deployment(Image.ToString()) });

        var change = Change("d.yaml");

        var verdict = change.Apply(tree);

        Assert.AreEqual(0, verdict.Files.Count);
        Assert.AreEqual(1, ((DeployVerdict.AlreadyDeployed)verdict).Replacements.Count);
    }

    [TestMethod]
    public void Two_items_naming_one_file_edit_it_once()
    {
        var changes = Change("apps/web/deployment.yaml", "./apps/web/deployment.yaml").Apply(Repository());

        Assert.AreEqual(Deployment("registry.example.com/team/web:abc1234"), Text(changes, "apps/web/deployment.yaml"));
    }
}
