using System.Text;
using GitOps.Build.Deploy;
using GitOps.Build.Diagnostics;
using GitOps.Build.Manifests;
using GitOps.Build.Tests.ConfigRepo;
using GitOps.Build.Tests.Docs;

namespace GitOps.Build.Tests.Deploy;

/// <summary>
/// A directory or glob over a Helm chart: values.yaml is edited, templates that are not YAML until rendered are passed
/// over. Every other file that does not parse still fails the deploy.
/// </summary>
[TestClass]
public sealed class HelmChartDirectoryTests
{
    private static readonly ImageReference Image = ImageReference.Parse("registry.example.com/team/web:abc1234");

    private const string Values = """
        image:
          repository: registry.example.com/team/web
          tag: old

        """;

    // As `helm create` writes it: `{{- include … | nindent 4 }}` in a block mapping does not parse as YAML.
    private const string Template = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "web.fullname" . }}
          labels:
            {{- include "web.labels" . | nindent 4 }}
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"

        """;

    private const string TemplatePath = "charts/web/templates/deployment.yaml";

    private readonly RecordingLog log = new();

    private static DictionaryTree Chart(string values = Values, string template = Template) => new(new Dictionary<string, string>
    {
        ["charts/web/Chart.yaml"] = "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        ["charts/web/values.yaml"] = values,
        [TemplatePath] = template,
    });

    private ManifestImageChange Change(string path) =>
        new([new ManifestTarget(path, new ManifestEditOptions())], Image, "main", "https://git.example.com/config.git", log: log);

    [TestMethod]
    [DataRow("charts/web")]
    [DataRow("charts/web/**/*.yaml")]
    public void A_directory_or_glob_edits_the_values_and_skips_the_template_saying_so(string path)
    {
        var changes = Change(path).Apply(Chart());

        CollectionAssert.AreEqual(new[] { "charts/web/values.yaml" }, changes.Files.Select(file => file.Path).ToArray());
        StringAssert.Contains(Encoding.UTF8.GetString(changes.Files.Single(file => file.Path == "charts/web/values.yaml").NewContent), "tag: abc1234");
        CollectionAssert.Contains(log.Detail, $"GitOps: skipped {TemplatePath}: a Go template ({{{{ … }}}}), not YAML until rendered");
    }

    [TestMethod]
    public void A_template_named_on_its_own_still_fails_with_GITOPS042()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Change(TemplatePath).Apply(Chart()));

        Assert.AreEqual(Errors.ManifestMalformed.Code, error.Code);
    }

    [TestMethod]
    public void A_file_in_the_directory_that_is_not_YAML_and_not_a_template_fails_with_GITOPS042()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() => Change("charts/web").Apply(Chart(template: "kind: [Deployment\n")));

        Assert.AreEqual(Errors.ManifestMalformed.Code, error.Code);
        StringAssert.Contains(error.Message, TemplatePath);
    }

    [TestMethod]
    public void A_chart_without_the_image_fails_with_GITOPS040_listing_what_the_values_hold()
    {
        var error = Assert.ThrowsExactly<GitOpsException>(() =>
            Change("charts/web").Apply(Chart(values: Values.Replace("team/web", "team/api", StringComparison.Ordinal))));

        Assert.AreEqual(Errors.NoImageReference.Code, error.Code);
        StringAssert.Contains(error.Message, "registry.example.com/team/api:old");
        CollectionAssert.Contains(log.Detail, $"GitOps: skipped {TemplatePath}: a Go template ({{{{ … }}}}), not YAML until rendered");
    }

    [TestMethod]
    public void The_sample_chart_directory_deploys_to_its_values_only()
    {
        var root = Path.Combine(SdkTargetsProperties.RepositoryRoot, "samples", "config-repo");
        var chart = Path.Combine(root, "apps", "sample-app-helm");
        var tree = new DictionaryTree(Directory.EnumerateFiles(chart, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(root, file).Replace('\\', '/'), File.ReadAllText));
        var change = new ManifestImageChange([new ManifestTarget("apps/sample-app-helm", new ManifestEditOptions())],
            ImageReference.Parse("127.0.0.1:5000/team/sample-app:abc1234"), "main", "config", log: log);

        var changes = change.Apply(tree);

        CollectionAssert.AreEqual(new[] { "apps/sample-app-helm/values.yaml" }, changes.Files.Select(file => file.Path).ToArray());
        CollectionAssert.Contains(log.Detail, Messages.TemplateSkipped("apps/sample-app-helm/templates/deployment.yaml"),
            "the sample's template is a real one, not YAML until rendered");
    }
}
