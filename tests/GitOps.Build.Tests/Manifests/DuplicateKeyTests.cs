using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Manifests;

/// <summary>
/// A mapping that repeats a key is invalid YAML: readers disagree on which value counts (kubectl refuses the file, a
/// last-key-wins reader keeps the later value), so editing the first would report a deploy that did not happen.
/// Refused with GITOPS042 in every format, wherever the mapping is in a document that is read.
/// </summary>
[TestClass]
public sealed class DuplicateKeyTests
{
    private const string Image = "team/myapp:new";

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: team/myapp:v1
                  image: team/myapp:v0

        """;

    private static GitOpsException Refused(string path, string text) =>
        Assert.ThrowsExactly<GitOpsException>(() => ManifestEditor.Edit(path, Encoding.UTF8.GetBytes(text), ImageReference.Parse(Image)));

    [TestMethod]
    [DataRow("Kubernetes workload", "deployment.yaml", Deployment, "image", 11)]
    [DataRow("Helm values", "values.yaml", "image:\n  repository: team/myapp\n  tag: v1\n  tag: v0\n", "tag", 4)]
    [DataRow("Helm values, single string", "values.yaml", "web:\n  image: team/myapp:v1\n  image: team/myapp:v0\n", "image", 3)]
    [DataRow("Kustomize images", "kustomization.yaml", "images:\n  - name: team/myapp\n    newTag: v1\n    newTag: v0\n", "newTag", 4)]
    [DataRow("Argo CD Application valuesObject", "app.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    helm:\n      valuesObject:\n        image: {repository: team/myapp, tag: v1, tag: v0}\n", "tag", 7)]
    [DataRow("Argo CD ApplicationSet kustomize", "appset.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec:\n  template:\n    spec:\n      source:\n        kustomize:\n          images: [team/myapp:v1]\n        kustomize:\n          images: [team/myapp:v0]\n", "kustomize", 9)]
    [DataRow("Flux HelmRelease values", "release.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    image:\n      repository: team/myapp\n      tag: v1\n    image:\n      repository: team/myapp\n      tag: v0\n", "image", 8)]
    [DataRow("setter markers", "marked.yaml", "image: team/myapp:v1 # {\"$imagepolicy\": \"flux-system:myapp\"}\nimage: team/myapp:v0 # {\"$imagepolicy\": \"flux-system:myapp\"}\n", "image", 2)]
    public void A_repeated_key_is_refused_with_GITOPS042_naming_the_key_and_its_line(string format, string path, string text, string key, int line)
    {
        var error = Refused(path, text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, format + ": " + error.Message);
        StringAssert.Contains(error.Message, $"The key '{key}' appears twice in one mapping");
        StringAssert.Contains(error.Message, $"line {line}, column ");
    }

    [TestMethod]
    [DataRow("an unrelated mapping", "metadata:\n  name: app\n  labels: {app: web, app: api}\n")]
    [DataRow("a key spelled with quotes", "metadata:\n  name: app\n  \"name\": other\n")]
    [DataRow("a key written as an alias", "metadata:\n  &key name: app\n  *key : other\n")]
    [DataRow("two merge keys", "defaults: &defaults {team: a}\nmetadata:\n  <<: *defaults\n  <<: *defaults\n  name: app\n")]
    [DataRow("a mapping of many keys", "metadata:\n  labels:\n    k0: v\n    k1: v\n    k2: v\n    k3: v\n    k4: v\n    k5: v\n    k6: v\n    k7: v\n    k8: v\n    k9: v\n    k3: w\n")]
    public void A_repeated_key_elsewhere_in_a_document_that_names_the_image_is_refused_too(string description, string extra)
    {
        // The file is invalid YAML wherever the key repeats: kubectl would refuse it after the deploy was reported.
        var text = Deployment.Replace("          image: team/myapp:v0\n", "").Replace("metadata:\n  name: app\n", "") + extra;

        var error = Refused("deployment.yaml", text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, description + ": " + error.Message);
        StringAssert.Contains(error.Message, "appears twice in one mapping");
    }

    [TestMethod]
    public void A_repeated_key_in_one_document_of_many_is_refused_with_its_line_in_the_whole_file()
    {
        // The edit reads only documents that could name the image; a refusal there is reported from the whole file.
        var service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n---\n";
        var text = service + Deployment + "---\n" + service;

        var error = Refused("all.yaml", text);

        Assert.AreEqual(Errors.ManifestMalformed, error.Error, error.Message);
        StringAssert.Contains(error.Message, "line 16, column 11: ");
    }

    [TestMethod]
    public void Keys_that_differ_only_in_case_are_distinct_and_the_image_is_edited()
    {
        var text = Deployment.Replace("image: team/myapp:v0", "Image: team/myapp:v0");

        var result = ManifestEditor.Edit("deployment.yaml", Encoding.UTF8.GetBytes(text), ImageReference.Parse(Image));

        Assert.AreEqual(text.Replace("team/myapp:v1", Image), Encoding.UTF8.GetString(result.Content));
    }

    [TestMethod]
    public void Kubectl_refuses_the_repeated_image_key_as_the_editor_does()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-duplicate-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "kustomization.yaml"), "resources: [deployment.yaml]\n");
            File.WriteAllText(Path.Combine(directory, "deployment.yaml"), Deployment);

            var render = ProcessRunner.Run("kubectl", ["kustomize", directory]);

            Assert.IsFalse(render.Succeeded, render.ToString());
            StringAssert.Contains(render.ToString(), "mapping key \"image\" already defined");
        }
        finally
        {
            GitOps.Build.ConfigRepo.TempDirectory.TryDelete(directory);
        }
    }
}
