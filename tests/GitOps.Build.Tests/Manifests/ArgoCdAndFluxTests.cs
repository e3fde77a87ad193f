using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using static GitOps.Build.Tests.Manifests.ManifestEditAssert;

namespace GitOps.Build.Tests.Manifests;

[TestClass]
public sealed class ArgoCdAndFluxTests
{
    private const string Application = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: myapp
        spec:
          source:
            repoURL: https://charts.example.com
            chart: myapp
            helm:
              parameters:
                - name: image.repository
                  value: registry.example.com/team/myapp
                - name: image.tag
                  value: "old"
                - name: worker.image.repository
                  value: registry.example.com/team/myapp-worker
                - name: worker.image.tag
                  value: old
                - name: sidecar.image
                  value: envoyproxy/envoy:v1.30.1
              valuesObject:
                migrations:
                  image:
                    repository: registry.example.com/team/myapp
                    tag: old # same image, run as a job
        """;

    [TestMethod]
    public void Helm_parameters_and_valuesObject_set_the_tag()
    {
        var result = Edit(Application, "registry.example.com/team/myapp:1234567");

        Assert.AreEqual(
            Application.Replace("value: \"old\"", "value: \"1234567\"").Replace("tag: old # same", "tag: \"1234567\" # same"),
            System.Text.Encoding.UTF8.GetString(result.Content));
        Assert.AreEqual(2, result.Replacements.Count);
    }

    [TestMethod]
    public void A_Helm_parameter_holding_a_whole_reference_is_replaced() =>
        Edits(Application, "envoyproxy/envoy:v1.31.0", Application.Replace("envoy:v1.30.1", "envoy:v1.31.0"));

    [TestMethod]
    public void ValuePath_names_the_parameter() =>
        Edits(Application, "team/anything:new", Application.Replace("  value: old", "  value: new"), new ManifestEditOptions { ValuePath = "worker.image.tag" });

    [TestMethod]
    public void The_kustomize_images_of_an_ApplicationSet_template_are_edited()
    {
        const string input = """
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            spec:
              generators: [{list: {elements: [{env: prod}]}}]
              template:
                spec:
                  sources:
                  - repoURL: https://git.example.com/config
                    kustomize:
                      images:
                      - team/myapp=registry.example.com/team/myapp:old
                      - 'team/myapp-worker:old'
            """;

        Edits(input, "registry.example.com/team/myapp:new", input.Replace("myapp:old", "myapp:new"));
        Edits(input, "team/myapp-worker:new", input.Replace("'team/myapp-worker:old'", "'team/myapp-worker:new'"));
    }

    [TestMethod]
    public void Other_API_groups_with_the_same_kind_are_ignored() =>
        Fails(Application.Replace("argoproj.io/v1alpha1", "example.com/v1"), "registry.example.com/team/myapp:new", Errors.NoImageReference);

    [TestMethod]
    public void Flux_HelmRelease_values_are_edited()
    {
        const string input = """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: myapp
            spec:
              chart:
                spec:
                  chart: myapp
              values:
                image:
                  repository: ghcr.io/org/myapp
                  tag: v1.0.0
            ---
            apiVersion: v1
            kind: ConfigMap
            data:
              tag: v1.0.0
            """;

        Edits(input, "ghcr.io/org/myapp:v1.1.0", input.Replace("tag: v1.0.0\n---", "tag: v1.1.0\n---"));
    }
}
