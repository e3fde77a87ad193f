using System.Text;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using static GitOps.Build.Tests.Manifests.ManifestEditAssert;

namespace GitOps.Build.Tests.Manifests;

[TestClass]
public sealed class KubernetesWorkloadTests
{
    private const string NewImage = "127.0.0.1:5000/team/myapp:a1b2c3d";

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: myapp
        spec:
          template:
            spec:
              containers:
                - name: myapp
                  image: 127.0.0.1:5000/team/myapp:old
                  ports:
                    - containerPort: 8080

        """;

    [TestMethod]
    public void The_warm_up_edits_its_built_in_manifest()
    {
        // Run in the background during a build; it must succeed or the first real edit pays for loading the engine.
        var result = ManifestEditor.WarmUp();

        // The first container's quoted image is replaced, the sidecar's is not, and the second document is left alone.
        Assert.AreEqual("registry.example.com/team/app:0", result.Replacements.Single().OldValue);
        Assert.AreEqual("registry.example.com/team/app:1a2b3c4", result.Replacements.Single().NewValue);
        var text = Encoding.UTF8.GetString(result.Content);
        StringAssert.Contains(text, "image: \"registry.example.com/team/app:1a2b3c4\" # the one changed\n");
        StringAssert.Contains(text, "image: registry.example.com/team/sidecar:1\n");
        StringAssert.EndsWith(text, "---\napiVersion: v1\nkind: Service\nmetadata: { name: app }\n");
    }

    [TestMethod]
    public void A_Deployment_image_is_replaced_and_its_position_reported()
    {
        var result = Edit(Deployment, NewImage);

        Assert.AreEqual(Deployment.Replace(":old", ":a1b2c3d"), Encoding.UTF8.GetString(result.Content));
        Assert.AreEqual(new ImageReplacement(10, 18, "127.0.0.1:5000/team/myapp:old", NewImage), result.Replacements.Single());
        CollectionAssert.AreEqual(new[] { "127.0.0.1:5000/team/myapp:old" }, result.ImagesFound.ToArray());
        Assert.IsTrue(result.Changed);
    }

    [TestMethod]
    [DataRow("Pod", "spec")]
    [DataRow("PodTemplate", "template.spec")]
    [DataRow("Deployment", "spec.template.spec")]
    [DataRow("StatefulSet", "spec.template.spec")]
    [DataRow("DaemonSet", "spec.template.spec")]
    [DataRow("ReplicaSet", "spec.template.spec")]
    [DataRow("ReplicationController", "spec.template.spec")]
    [DataRow("Job", "spec.template.spec")]
    [DataRow("CronJob", "spec.jobTemplate.spec.template.spec")]
    public void EveryWorkloadKind_EveryContainerList(string kind, string podSpecPath)
    {
        var input = Workload(kind, podSpecPath, "team/myapp:old");

        Edits(input, "team/myapp:new", input.Replace("team/myapp:old", "team/myapp:new"));
        Assert.AreEqual(3, Edit(input, "team/myapp:new").Replacements.Count);
    }

    [TestMethod]
    [DataRow("Service")]
    [DataRow("ConfigMap")]
    public void Other_kinds_have_no_image_fields(string kind)
    {
        var input = Workload(kind, "spec.template.spec", "team/myapp:old");

        var error = Fails(input, "team/myapp:new", Errors.NoImageReference);
        StringAssert.Contains(error.Message, "Images found there: none");
    }

    [TestMethod]
    public void A_wrong_pod_spec_path_is_not_an_image_field() =>
        Fails(Workload("Deployment", "spec", "team/myapp:old"), "team/myapp:new", Errors.NoImageReference);

    [TestMethod]
    public void In_several_documents_only_workload_image_fields_change()
    {
        const string input = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              image: team/myapp:old
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: myapp
              annotations:
                image: team/myapp:old
            spec:
              template:
                spec:
                  containers:
                  - name: myapp
                    image: team/myapp:old
                    env:
                    - name: IMAGE
                      value: team/myapp:old
                    - name: image
                      value: team/myapp:old
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: myapp
            """;
        const string expected = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              image: team/myapp:old
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: myapp
              annotations:
                image: team/myapp:old
            spec:
              template:
                spec:
                  containers:
                  - name: myapp
                    image: team/myapp:new
                    env:
                    - name: IMAGE
                      value: team/myapp:old
                    - name: image
                      value: team/myapp:old
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: myapp
            """;

        Edits(input, "team/myapp:new", expected);
    }

    [TestMethod]
    public void A_List_kind_edits_its_items()
    {
        const string input = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: apps/v1
              kind: Deployment
              spec:
                template:
                  spec:
                    containers: [{name: a, image: team/myapp:old}]
            - apiVersion: v1
              kind: ConfigMap
              data: {image: team/myapp:old}
            """;

        Edits(input, "team/myapp:new", input.Replace("image: team/myapp:old}]", "image: team/myapp:new}]"));
    }

    [TestMethod]
    public void A_container_name_filter_edits_only_that_container()
    {
        const string input = """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - name: web
                image: team/myapp:old
              - name: worker
                image: team/myapp:old
            """;

        var result = Edit(input, "team/myapp:new", new ManifestEditOptions { ContainerName = "worker" });

        Assert.AreEqual(input[..input.LastIndexOf(":old", StringComparison.Ordinal)] + ":new", Encoding.UTF8.GetString(result.Content));
        Assert.AreEqual(8, result.Replacements.Single().Line);
        Fails(input, "team/myapp:new", Errors.NoImageReference, new ManifestEditOptions { ContainerName = "nope" });
    }

    [TestMethod]
    public void A_similar_repository_is_not_replaced_and_is_listed_in_the_error()
    {
        const string input = """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - name: worker
                image: team/myapp-worker:old
              - name: sidecar
                image: envoyproxy/envoy:v1.30
            """;

        var error = Fails(input, "team/myapp:new", Errors.NoImageReference);

        StringAssert.Contains(error.Message, "'team/myapp'");
        StringAssert.Contains(error.Message, "manifest.yaml");
        StringAssert.Contains(error.Message, "team/myapp-worker:old, envoyproxy/envoy:v1.30");
    }

    [TestMethod]
    public void An_equivalent_spelling_matches()
    {
        const string input = "kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - image: nginx:1.0\n";

        Edits(input, "docker.io/library/nginx:1.1", input.Replace("nginx:1.0", "docker.io/library/nginx:1.1"));
    }

    [TestMethod]
    public void A_manifest_already_at_the_new_image_is_unchanged_and_not_an_error()
    {
        var input = Workload("Deployment", "spec.template.spec", "team/myapp:new");
        var bytes = Encoding.UTF8.GetBytes(input);

        var result = ManifestEditor.Edit("m.yaml", bytes, ImageReference.Parse("team/myapp:new"));

        Assert.IsFalse(result.Changed);
        Assert.AreEqual(3, result.Replacements.Count);
        Assert.IsTrue(result.Replacements.All(r => r.OldValue == r.NewValue));
        CollectionAssert.AreEqual(bytes, result.Content);
    }

    /// <summary>A workload with one image in each container list at the given pod spec path.</summary>
    private static string Workload(string kind, string podSpecPath, string image)
    {
        var builder = new StringBuilder($"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: x\n");
        var indent = "";
        foreach (var key in podSpecPath.Split('.'))
        {
            builder.Append($"{indent}{key}:\n");
            indent += "  ";
        }

        foreach (var list in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            builder.Append($"{indent}{list}:\n{indent}- name: {list}\n{indent}  image: {image}\n");
        }

        return builder.ToString();
    }
}
