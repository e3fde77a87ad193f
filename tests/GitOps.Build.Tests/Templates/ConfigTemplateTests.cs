using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Templates;

/// <summary>
/// `dotnet new gitops-config` from the packed template package: every overlay builds with kubectl kustomize, Helm values
/// hold the image keys a deploy edits (Helm itself is not in Debian bookworm: `apt-cache policy helm` is empty), and the
/// Argo CD / Flux objects are the kinds they claim with the fields those kinds require.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class ConfigTemplateTests
{
    private static readonly string[] StagingProduction = ["staging", "production"];

    private static string Generate(params string[] options)
    {
        var directory = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        var result = TemplatePackage.New(directory, ["gitops-config", .. options]);
        Assert.IsTrue(result.Succeeded, result.ToString());
        return directory;
    }

    [TestMethod]
    [DataRow("argocd", "staging,production")]
    [DataRow("flux", "dev, staging, production")]
    [DataRow("flux", "prod")]
    public void Kustomize_layout_builds_every_overlay_with_the_image_pinned(string agent, string environments)
    {
        var repository = Generate("--app", "web", "--registry", "registry.example.com/team", "--agent", agent, "--environments", environments);
        try
        {
            var names = environments.Split(',', StringSplitOptions.TrimEntries);
            CollectionAssert.AreEquivalent(names, Directory.GetDirectories(Path.Combine(repository, "apps", "web", "overlays")).Select(Path.GetFileName).ToArray());
            foreach (var environment in names)
            {
                var build = ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(repository, "apps", "web", "overlays", environment)]);
                Assert.IsTrue(build.Succeeded, build.ToString());
                StringAssert.Contains(build.StandardOutput, "image: registry.example.com/team/web:initial");
                StringAssert.Contains(build.StandardOutput, $"namespace: {environment}");
                StringAssert.Contains(build.StandardOutput, "kind: Service");
            }
            AssertAgentObjects(repository, agent, "web", names, helm: false);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("argocd")]
    [DataRow("flux")]
    public void Helm_layout_has_a_values_file_per_environment_with_the_image_keys(string agent)
    {
        var repository = Generate("--app", "Api", "--registry", "ghcr.io/acme", "--agent", agent, "--layout", "helm");
        try
        {
            Assert.IsFalse(Directory.Exists(Path.Combine(repository, "apps", "api", "overlays")));
            var chart = GeneratedYaml.Documents(Path.Combine(repository, "apps", "api", "chart", "Chart.yaml")).Single();
            Assert.AreEqual("v2", GeneratedYaml.Scalar(chart, "apiVersion"));
            Assert.AreEqual("api", GeneratedYaml.Scalar(chart, "name"));
            foreach (var file in (string[])["chart/values.yaml", "values-staging.yaml", "values-production.yaml"])
            {
                var values = GeneratedYaml.Documents(Path.Combine(repository, "apps", "api", file)).Single();
                Assert.AreEqual("ghcr.io/acme/api", GeneratedYaml.Scalar(values, "image.repository"), file);
                Assert.AreEqual("initial", GeneratedYaml.Scalar(values, "image.tag"), file);
            }
            AssertAgentObjects(repository, agent, "api", StagingProduction, helm: true);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("github")]
    [DataRow("gitlab")]
    [DataRow("azuredevops")]
    [DataRow("bitbucket")]
    [DataRow("gitea")]
    public void Flux_commit_status_provider_is_the_forge_given(string forge)
    {
        var repository = Generate("--app", "web", "--agent", "flux", "--forge", forge, "--config-repository", "https://git.example.com/t/c.git");
        try
        {
            var objects = GeneratedYaml.KubernetesObjects(Path.Combine(repository, "clusters", "flux"));
            var provider = objects.Single(o => o.Kind == "Provider").Node;
            Assert.AreEqual(forge, GeneratedYaml.Scalar(provider, "spec.type"));
            Assert.AreEqual("https://git.example.com/t/c.git", GeneratedYaml.Scalar(provider, "spec.address"));
            var alert = objects.Single(o => o.Kind == "Alert").Node;
            Assert.AreEqual(GeneratedYaml.Scalar(provider, "metadata.name"), GeneratedYaml.Scalar(alert, "spec.providerRef.name"));
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    public void A_second_app_with_force_adds_its_files_and_leaves_the_shared_ones_identical()
    {
        var repository = Generate("--app", "web", "--agent", "flux");
        try
        {
            var shared = Path.Combine(repository, "clusters", "flux", "gitrepository.yaml");
            var before = File.ReadAllBytes(shared);
            var second = TemplatePackage.New(repository, "gitops-config", "--app", "worker", "--agent", "flux", "--force");
            Assert.IsTrue(second.Succeeded, second.ToString());
            CollectionAssert.AreEqual(before, File.ReadAllBytes(shared));
            Assert.IsTrue(File.Exists(Path.Combine(repository, "apps", "web", "overlays", "staging", "kustomization.yaml")));
            Assert.IsTrue(File.Exists(Path.Combine(repository, "apps", "worker", "overlays", "staging", "kustomization.yaml")));
            Assert.IsTrue(File.Exists(Path.Combine(repository, "clusters", "flux", "worker.yaml")));
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("gitops-config", "--app", "--registry", "--agent", "--environments", "--forge", "--layout", "--config-repository")]
    [DataRow("gitops", "--app", "--registry", "--config-repository", "--environments", "--layout")]
    [DataRow("gitops-ci", "--ci", "--pull-request", "--auto-merge", "--wait-for-deploy", "--publish-project")]
    public void Every_option_has_help_text(string template, params string[] options)
    {
        var help = TemplatePackage.New(Path.GetTempPath(), template, "-h");
        Assert.IsTrue(help.Succeeded, help.ToString());
        var lines = help.StandardOutput.Split('\n');
        foreach (var option in options)
        {
            var index = Array.FindIndex(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, $@"^\s*(-[\w:]+, )?{option}\s"));
            Assert.IsTrue(index >= 0, $"{template} -h has no {option}:\n{help.StandardOutput}");
            // The description follows the option name on its line (the CLI wraps it to the next lines).
            Assert.IsTrue(lines[index].Trim().Length > option.Length + 20, $"{option} has no help text: '{lines[index]}'");
        }
    }

    private static void AssertAgentObjects(string repository, string agent, string app, string[] environments, bool helm)
    {
        var objects = GeneratedYaml.KubernetesObjects(Path.Combine(repository, "clusters", agent));
        if (agent == "argocd")
        {
            var project = objects.Single(o => o.Kind == "AppProject");
            Assert.AreEqual("argoproj.io/v1alpha1", project.ApiVersion);
            var role = (YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(project.Node, "spec.roles")!;
            var policy = ((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node((YamlDotNet.RepresentationModel.YamlMappingNode)role[0], "policies")!)[0].ToString();
            StringAssert.Contains(policy, "applications, get,");
            var set = objects.Single(o => o.Kind == "ApplicationSet");
            Assert.AreEqual("argoproj.io/v1alpha1", set.ApiVersion);
            Assert.AreEqual(GeneratedYaml.Scalar(project.Node, "metadata.name"), GeneratedYaml.Scalar(set.Node, "spec.template.spec.project"));
            var elements = (YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(
                (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(set.Node, "spec.generators")!)[0], "list.elements")!;
            CollectionAssert.AreEqual(environments, elements.Select(e => GeneratedYaml.Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)e, "environment")).ToArray());
            Assert.AreEqual(helm ? $"apps/{app}/chart" : $"apps/{app}/overlays/{{{{.environment}}}}", GeneratedYaml.Scalar(set.Node, "spec.template.spec.source.path"));
            Assert.IsNotNull(GeneratedYaml.Scalar(set.Node, "spec.template.spec.destination.server"));
            return;
        }

        var source = objects.Single(o => o.Kind == "GitRepository");
        Assert.AreEqual("source.toolkit.fluxcd.io/v1", source.ApiVersion);
        Assert.IsNotNull(GeneratedYaml.Scalar(source.Node, "spec.url"));
        Assert.IsNotNull(GeneratedYaml.Scalar(source.Node, "spec.interval"));
        Assert.AreEqual("notification.toolkit.fluxcd.io/v1beta3", objects.Single(o => o.Kind == "Provider").ApiVersion);
        Assert.AreEqual("notification.toolkit.fluxcd.io/v1beta3", objects.Single(o => o.Kind == "Alert").ApiVersion);
        var kind = helm ? "HelmRelease" : "Kustomization";
        var syncs = objects.Where(o => o.Kind == kind).ToArray();
        Assert.AreEqual(environments.Length, syncs.Length);
        foreach (var (environment, sync) in environments.Zip(syncs))
        {
            Assert.AreEqual(helm ? "helm.toolkit.fluxcd.io/v2" : "kustomize.toolkit.fluxcd.io/v1", sync.ApiVersion);
            Assert.AreEqual($"{app}-{environment}", GeneratedYaml.Scalar(sync.Node, "metadata.name"));
            Assert.IsNotNull(GeneratedYaml.Scalar(sync.Node, "spec.interval"));
            var sourceName = helm ? GeneratedYaml.Scalar(sync.Node, "spec.chart.spec.sourceRef.name") : GeneratedYaml.Scalar(sync.Node, "spec.sourceRef.name");
            Assert.AreEqual(GeneratedYaml.Scalar(source.Node, "metadata.name"), sourceName);
            var path = helm ? GeneratedYaml.Scalar(sync.Node, "spec.chart.spec.chart") : GeneratedYaml.Scalar(sync.Node, "spec.path");
            Assert.IsTrue(Directory.Exists(Path.Combine(repository, path!)), $"{path} does not exist");
        }
    }
}
