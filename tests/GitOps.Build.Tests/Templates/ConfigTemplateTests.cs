using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Templates;

/// <summary>
/// `dotnet new gitops-config` from the packed template package: every overlay of every app builds with kubectl kustomize,
/// Helm values hold the image keys a deploy edits and the chart renders with them (Helm itself is not in Debian bookworm:
/// `apt-cache policy helm` is empty, so ChartRendering fills the chart's templates), the Argo CD / Flux objects are the
/// kinds they claim with the fields those kinds require, and a list the template cannot make writes nothing and fails.
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

    private static string[] Names(string list) => [.. list.Split(',', StringSplitOptions.TrimEntries).Select(name => name.ToLowerInvariant())];

    private static string[] Subdirectories(string directory) =>
        [.. Directory.GetDirectories(directory).Select(path => Path.GetFileName(path)!).Order(StringComparer.Ordinal)];

    [TestMethod]
    [DataRow("argocd", "web", "staging,production")]
    [DataRow("flux", "Web, worker", "dev, staging, production")]
    [DataRow("argocd", "api,web,worker", "prod")]
    public void Kustomize_layout_builds_every_overlay_of_every_app_with_its_image_pinned(string agent, string apps, string environments)
    {
        var repository = Generate("--app", apps, "--registry", "registry.example.com/team", "--agent", agent, "--environments", environments);
        try
        {
            var appNames = Names(apps);
            var environmentNames = Names(environments);
            CollectionAssert.AreEqual(appNames.Order(StringComparer.Ordinal).ToArray(), Subdirectories(Path.Combine(repository, "apps")));
            foreach (var app in appNames)
            {
                CollectionAssert.AreEquivalent(environmentNames, Subdirectories(Path.Combine(repository, "apps", app, "overlays")));
                foreach (var environment in environmentNames)
                {
                    var build = ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(repository, "apps", app, "overlays", environment)]);
                    Assert.IsTrue(build.Succeeded, build.ToString());
                    StringAssert.Contains(build.StandardOutput, $"image: registry.example.com/team/{app}:initial");
                    StringAssert.Contains(build.StandardOutput, $"namespace: {environment}");
                    StringAssert.Contains(build.StandardOutput, "kind: Service");
                    StringAssert.Contains(build.StandardOutput, $"name: {app}\n");
                }
            }
            AssertAgentObjects(repository, agent, appNames, environmentNames, helm: false);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    public void Twelve_apps_and_twelve_environments_are_one_run()
    {
        var apps = string.Join(",", Enumerable.Range(1, 12).Select(n => $"app{n}"));
        var environments = string.Join(",", Enumerable.Range(1, 12).Select(n => $"env{n}"));
        var repository = Generate("--app", apps, "--agent", "flux", "--environments", environments);
        try
        {
            CollectionAssert.AreEquivalent(Names(apps), Subdirectories(Path.Combine(repository, "apps")));
            foreach (var app in Names(apps))
                CollectionAssert.AreEquivalent(Names(environments), Subdirectories(Path.Combine(repository, "apps", app, "overlays")));
            var build = ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(repository, "apps", "app12", "overlays", "env10")]);
            Assert.IsTrue(build.Succeeded, build.ToString());
            StringAssert.Contains(build.StandardOutput, "image: registry.example.com/team/app12:initial");
            StringAssert.Contains(build.StandardOutput, "namespace: env10");
            AssertAgentObjects(repository, "flux", Names(apps), Names(environments), helm: false);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("--app", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13", "--app: more than 12 apps")]
    [DataRow("--environments", "e1,e2,e3,e4,e5,e6,e7,e8,e9,e10,e11,e12,e13", "--environments: more than 12 environments")]
    [DataRow("--app", "web,Web", "--app: each name must be a DNS label")]
    [DataRow("--app", "my app", "--app: each name must be a DNS label")]
    [DataRow("--environments", "staging,,production", "--environments: each name must be a DNS label")]
    [DataRow("--environments", "staging_eu", "--environments: each name must be a DNS label")]
    // Written into YAML as they are: a value that would change the YAML's meaning (an alias, a comment, a second key) is refused.
    [DataRow("--registry", "*anchor", "--registry: a registry host")]
    [DataRow("--registry", "registry.example.com/team\n  evil: true", "--registry: a registry host")]
    [DataRow("--config-repository", "https://git.example.com/config.git #comment", "--config-repository: a URL or path")]
    [DataRow("--config-repository", "*alias", "--config-repository: a URL or path")]
    public void A_list_the_template_cannot_make_writes_nothing_and_fails_naming_the_option(string option, string value, string message)
    {
        var directory = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            string[] arguments = option == "--app" ? ["gitops-config", option, value] : ["gitops-config", "--app", "web", option, value];
            var result = TemplatePackage.New(directory, arguments);
            Assert.IsFalse(result.Succeeded, result.ToString());
            StringAssert.Contains(result.StandardOutput + result.StandardError, message);
            Assert.AreEqual(0, Directory.GetFileSystemEntries(directory).Length, "files were written: " + string.Join(", ", Directory.GetFileSystemEntries(directory)));
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(directory); }
    }

    [TestMethod]
    [DataRow("argocd")]
    [DataRow("flux")]
    public void Helm_layout_has_a_values_file_per_app_and_environment_that_the_chart_renders(string agent)
    {
        var repository = Generate("--app", "Api,web", "--registry", "ghcr.io/acme", "--agent", agent, "--layout", "helm");
        try
        {
            Assert.IsFalse(Directory.Exists(Path.Combine(repository, "apps", "api", "overlays")));
            foreach (var app in (string[])["api", "web"])
            {
                var directory = Path.Combine(repository, "apps", app);
                var chart = GeneratedYaml.Documents(Path.Combine(directory, "chart", "Chart.yaml")).Single();
                Assert.AreEqual("v2", GeneratedYaml.Scalar(chart, "apiVersion"));
                Assert.AreEqual(app, GeneratedYaml.Scalar(chart, "name"));
                Assert.IsNotNull(GeneratedYaml.Scalar(chart, "version"));
                foreach (var environment in StagingProduction)
                {
                    var values = GeneratedYaml.Documents(Path.Combine(directory, $"values-{environment}.yaml")).Single();
                    Assert.AreEqual($"ghcr.io/acme/{app}", GeneratedYaml.Scalar(values, "image.repository"), environment);
                    Assert.AreEqual("initial", GeneratedYaml.Scalar(values, "image.tag"), environment);

                    // As the agent renders it: the chart's values, then the environment's, with the release named after the app.
                    var merged = ChartRendering.MergedValues(Path.Combine(directory, "chart", "values.yaml"), Path.Combine(directory, $"values-{environment}.yaml"));
                    var objects = ChartRendering.Render(Path.Combine(directory, "chart"), merged, app);
                    var deployment = objects.Single(o => GeneratedYaml.Scalar(o, "kind") == "Deployment");
                    Assert.AreEqual("apps/v1", GeneratedYaml.Scalar(deployment, "apiVersion"));
                    Assert.AreEqual(app, GeneratedYaml.Scalar(deployment, "metadata.name"));
                    var container = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)
                        GeneratedYaml.Node(deployment, "spec.template.spec.containers")!)[0];
                    Assert.AreEqual($"ghcr.io/acme/{app}:initial", GeneratedYaml.Scalar(container, "image"));
                    Assert.AreEqual("1", GeneratedYaml.Scalar(deployment, "spec.replicas"));
                    Assert.AreEqual(GeneratedYaml.Scalar(deployment, "spec.selector.matchLabels.app"), GeneratedYaml.Scalar(deployment, "spec.template.metadata.labels.app"));
                    var service = objects.Single(o => GeneratedYaml.Scalar(o, "kind") == "Service");
                    Assert.AreEqual(app, GeneratedYaml.Scalar(service, "spec.selector.app"));
                }
            }
            AssertAgentObjects(repository, agent, ["api", "web"], StagingProduction, helm: true);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("github", "https://github.com/team/config.git", "https://github.com/team/config")]
    [DataRow("gitlab", "https://gitlab.example.com/group/sub/config.git", "https://gitlab.example.com/group/sub/config")]
    [DataRow("azuredevops", "https://org@dev.azure.com/org/project/_git/config", "https://dev.azure.com/org/project/_git/config")]
    [DataRow("bitbucket", "https://bitbucket.org/team/config.git", "https://bitbucket.org/team/config")]
    [DataRow("gitea", "https://gitea.example.com/team/config.git", "https://gitea.example.com/team/config")]
    public void Flux_commit_status_provider_is_the_forge_given(string forge, string url, string address)
    {
        var repository = Generate("--app", "web", "--agent", "flux", "--forge", forge, "--config-repository", url);
        try
        {
            var objects = GeneratedYaml.KubernetesObjects(Path.Combine(repository, "clusters", "flux"));
            var provider = objects.Single(o => o.Kind == "Provider").Node;
            Assert.AreEqual(forge, GeneratedYaml.Scalar(provider, "spec.type"));
            Assert.AreEqual(address, GeneratedYaml.Scalar(provider, "spec.address"));
            Assert.AreEqual(url, GeneratedYaml.Scalar(objects.Single(o => o.Kind == "GitRepository").Node, "spec.url"));
            var alert = objects.Single(o => o.Kind == "Alert").Node;
            Assert.AreEqual(GeneratedYaml.Scalar(provider, "metadata.name"), GeneratedYaml.Scalar(alert, "spec.providerRef.name"));
            var sources = ((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(alert, "spec.eventSources")!)
                .Select(source => GeneratedYaml.Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)source, "kind")).ToArray();
            CollectionAssert.AreEquivalent(new[] { "Kustomization", "HelmRelease" }, sources);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    /// <summary>
    /// Argo CD Notifications has a github service and no GitLab, Gitea, Bitbucket or Azure DevOps one: those get a webhook
    /// to the forge's commit-status API, whose state names and context field the forge documents.
    /// </summary>
    [TestMethod]
    [DataRow("github", "https://github.com/team/config.git", null, "state", "success", "label")]
    [DataRow("gitlab", "https://gitlab.example.com/group/sub/config.git", "https://gitlab.example.com/api/v4/projects/group%2Fsub%2Fconfig/statuses", "state", "success", "name")]
    [DataRow("gitea", "https://gitea.example.com/team/config.git", "https://gitea.example.com/api/v1/repos/team/config/statuses", "state", "success", "context")]
    [DataRow("bitbucket", "https://bitbucket.org/team/config.git", "https://api.bitbucket.org/2.0/repositories/team/config/commit", "state", "SUCCESSFUL", "name")]
    [DataRow("azuredevops", "https://dev.azure.com/org/project/_git/config", "https://dev.azure.com/org/project/_apis/git/repositories/config", "state", "succeeded", "context.name")]
    public void Argo_cd_notifications_post_the_commit_status_to_the_forge_given(string forge, string url, string? webhookUrl, string stateKey, string success, string contextKey)
    {
        var repository = Generate("--app", "web,api", "--agent", "argocd", "--forge", forge, "--config-repository", url);
        try
        {
            var objects = GeneratedYaml.KubernetesObjects(Path.Combine(repository, "clusters", "argocd"));
            var configMap = objects.Single(o => o.Kind == "ConfigMap");
            Assert.AreEqual("v1", configMap.ApiVersion);
            Assert.AreEqual("argocd-notifications-cm", GeneratedYaml.Scalar(configMap.Node, "metadata.name"));
            var data = (YamlDotNet.RepresentationModel.YamlMappingNode)GeneratedYaml.Node(configMap.Node, "data")!;
            var service = forge == "github" ? "github" : "gitops-commit-status";
            var serviceKey = forge == "github" ? "service.github" : "service.webhook.gitops-commit-status";
            var serviceConfig = Embedded(Entry(data, serviceKey));
            if (webhookUrl is not null) Assert.AreEqual(webhookUrl, GeneratedYaml.Scalar(serviceConfig, "url"));

            var trigger = Entry(data, "trigger.on-rollout-verdict");
            foreach (var template in (string[])["commit-status-pending", "commit-status-success", "commit-status-failure"])
            {
                StringAssert.Contains(trigger, template);
                var body = Embedded(Entry(data, "template." + template));
                if (forge == "github")
                {
                    Assert.AreEqual("continuous-delivery/{{.app.metadata.name}}", GeneratedYaml.Scalar(body, "github.status.label"));
                    continue;
                }
                var request = (YamlDotNet.RepresentationModel.YamlMappingNode)GeneratedYaml.Node(body, "webhook." + service)!;
                Assert.AreEqual("POST", GeneratedYaml.Scalar(request, "method"));
                StringAssert.Contains(GeneratedYaml.Scalar(request, "path"), "{{.app.status.operationState.syncResult.revision}}");
                using var json = System.Text.Json.JsonDocument.Parse(GeneratedYaml.Scalar(request, "body")!);
                var context = contextKey.Split('.').Aggregate(json.RootElement, (element, key) => element.GetProperty(key));
                Assert.AreEqual("continuous-delivery/{{.app.metadata.name}}", context.GetString());
                if (template == "commit-status-success") Assert.AreEqual(success, json.RootElement.GetProperty(stateKey).GetString());
            }
            foreach (var set in objects.Where(o => o.Kind == "ApplicationSet"))
            {
                var annotations = (YamlDotNet.RepresentationModel.YamlMappingNode)GeneratedYaml.Node(set.Node, "spec.template.metadata.annotations")!;
                Assert.IsTrue(annotations.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode($"notifications.argoproj.io/subscribe.on-rollout-verdict.{service}")),
                    $"{set.File} does not subscribe to {service}");
            }
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    /// <summary>A ConfigMap's data entry: its keys hold dots, which GeneratedYaml.Scalar would take for a path.</summary>
    private static string Entry(YamlDotNet.RepresentationModel.YamlMappingNode data, string key) =>
        data.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode(key), out var value) && value is YamlDotNet.RepresentationModel.YamlScalarNode scalar
            ? scalar.Value! : throw new AssertFailedException($"argocd-notifications-cm has no {key}");

    private static YamlDotNet.RepresentationModel.YamlMappingNode Embedded(string yaml)
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents.Single().RootNode;
    }

    [TestMethod]
    public void A_second_app_with_force_adds_its_files_and_leaves_the_shared_ones_identical()
    {
        var repository = Generate("--app", "web", "--agent", "flux");
        try
        {
            string[] shared = ["clusters/flux/gitrepository.yaml", "clusters/flux/notifications.yaml", "clusters/flux/namespace-staging.yaml", "README.md"];
            var before = shared.Select(file => File.ReadAllBytes(Path.Combine(repository, file))).ToArray();
            var second = TemplatePackage.New(repository, "gitops-config", "--app", "worker", "--agent", "flux", "--force");
            Assert.IsTrue(second.Succeeded, second.ToString());
            foreach (var (file, bytes) in shared.Zip(before)) CollectionAssert.AreEqual(bytes, File.ReadAllBytes(Path.Combine(repository, file)), file);
            Assert.IsTrue(File.Exists(Path.Combine(repository, "apps", "web", "overlays", "staging", "kustomization.yaml")));
            Assert.IsTrue(File.Exists(Path.Combine(repository, "apps", "worker", "overlays", "staging", "kustomization.yaml")));
            Assert.IsTrue(File.Exists(Path.Combine(repository, "clusters", "flux", "worker-production.yaml")));
            AssertAgentObjects(repository, "flux", ["web", "worker"], StagingProduction, helm: false);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("gitops-config", "--app", "--registry", "--agent", "--environments", "--forge", "--layout", "--config-repository")]
    [DataRow("gitops", "--app", "--registry", "--config-repository", "--environments", "--layout")]
    [DataRow("gitops-ci", "--ci", "--environment", "--pull-request", "--auto-merge", "--wait-for-deploy", "--app", "--agent", "--wait-timeout", "--publish-project")]
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

    private static void AssertAgentObjects(string repository, string agent, string[] apps, string[] environments, bool helm)
    {
        var objects = GeneratedYaml.KubernetesObjects(Path.Combine(repository, "clusters", agent));
        if (agent == "argocd")
        {
            var project = objects.Single(o => o.Kind == "AppProject");
            Assert.AreEqual("argoproj.io/v1alpha1", project.ApiVersion);
            var role = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(project.Node, "spec.roles")!)[0];
            Assert.AreEqual("read-only", GeneratedYaml.Scalar(role, "name"));
            var policies = ((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(role, "policies")!).Select(p => p.ToString()).ToArray();
            Assert.IsTrue(policies.All(policy => policy.Contains("applications, get,", StringComparison.Ordinal)), string.Join("\n", policies));
            var sets = objects.Where(o => o.Kind == "ApplicationSet").ToArray();
            CollectionAssert.AreEquivalent(apps, sets.Select(set => GeneratedYaml.Scalar(set.Node, "metadata.name")).ToArray());
            foreach (var (_, apiVersion, _, set) in sets)
            {
                var app = GeneratedYaml.Scalar(set, "metadata.name");
                Assert.AreEqual("argoproj.io/v1alpha1", apiVersion);
                Assert.AreEqual(GeneratedYaml.Scalar(project.Node, "metadata.name"), GeneratedYaml.Scalar(set, "spec.template.spec.project"));
                var elements = (YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(
                    (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(set, "spec.generators")!)[0], "list.elements")!;
                CollectionAssert.AreEqual(environments, elements.Select(e => GeneratedYaml.Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)e, "environment")).ToArray());
                Assert.AreEqual($"{app}-{{{{.environment}}}}", GeneratedYaml.Scalar(set, "spec.template.metadata.name"));
                Assert.AreEqual(helm ? $"apps/{app}/chart" : $"apps/{app}/overlays/{{{{.environment}}}}", GeneratedYaml.Scalar(set, "spec.template.spec.source.path"));
                Assert.IsNotNull(GeneratedYaml.Scalar(set, "spec.template.spec.destination.server"));
                foreach (var environment in environments)
                {
                    var path = helm ? $"apps/{app}/values-{environment}.yaml" : $"apps/{app}/overlays/{environment}";
                    Assert.IsTrue(Path.Exists(Path.Combine(repository, path)), $"{path} does not exist");
                }
            }
            Assert.AreEqual("argocd-notifications-cm", GeneratedYaml.Scalar(objects.Single(o => o.Kind == "ConfigMap").Node, "metadata.name"));
            Assert.AreEqual(2 + apps.Length, objects.Count, string.Join(", ", objects.Select(o => $"{o.File}: {o.Kind}")));
            return;
        }

        var source = objects.Single(o => o.Kind == "GitRepository");
        Assert.AreEqual("source.toolkit.fluxcd.io/v1", source.ApiVersion);
        Assert.IsNotNull(GeneratedYaml.Scalar(source.Node, "spec.url"));
        Assert.IsNotNull(GeneratedYaml.Scalar(source.Node, "spec.interval"));
        Assert.AreEqual("notification.toolkit.fluxcd.io/v1beta3", objects.Single(o => o.Kind == "Provider").ApiVersion);
        Assert.AreEqual("notification.toolkit.fluxcd.io/v1beta3", objects.Single(o => o.Kind == "Alert").ApiVersion);
        var namespaces = objects.Where(o => o.Kind == "Namespace").ToArray();
        Assert.IsTrue(namespaces.All(n => n.ApiVersion == "v1"));
        CollectionAssert.AreEquivalent(environments, namespaces.Select(n => GeneratedYaml.Scalar(n.Node, "metadata.name")).ToArray());
        var kind = helm ? "HelmRelease" : "Kustomization";
        var syncs = objects.Where(o => o.Kind == kind).ToArray();
        CollectionAssert.AreEquivalent(apps.SelectMany(app => environments.Select(environment => $"{app}-{environment}")).ToArray(),
            syncs.Select(sync => GeneratedYaml.Scalar(sync.Node, "metadata.name")).ToArray());
        Assert.AreEqual(3 + namespaces.Length + syncs.Length, objects.Count, string.Join(", ", objects.Select(o => $"{o.File}: {o.Kind}")));
        foreach (var sync in syncs)
        {
            var name = GeneratedYaml.Scalar(sync.Node, "metadata.name")!;
            var (app, environment) = apps.SelectMany(a => environments.Select(e => (a, e))).Single(pair => $"{pair.a}-{pair.e}" == name);
            Assert.AreEqual($"{name}.yaml", sync.File);
            Assert.AreEqual(helm ? "helm.toolkit.fluxcd.io/v2" : "kustomize.toolkit.fluxcd.io/v1", sync.ApiVersion);
            Assert.IsNotNull(GeneratedYaml.Scalar(sync.Node, "spec.interval"));
            var sourceName = helm ? GeneratedYaml.Scalar(sync.Node, "spec.chart.spec.sourceRef.name") : GeneratedYaml.Scalar(sync.Node, "spec.sourceRef.name");
            Assert.AreEqual(GeneratedYaml.Scalar(source.Node, "metadata.name"), sourceName);
            var path = helm ? GeneratedYaml.Scalar(sync.Node, "spec.chart.spec.chart") : GeneratedYaml.Scalar(sync.Node, "spec.path");
            Assert.AreEqual(helm ? $"./apps/{app}/chart" : $"./apps/{app}/overlays/{environment}", path);
            Assert.IsTrue(Directory.Exists(Path.Combine(repository, path!)), $"{path} does not exist");
            if (helm)
            {
                Assert.AreEqual(environment, GeneratedYaml.Scalar(sync.Node, "spec.targetNamespace"));
                var valuesFiles = ((YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(sync.Node, "spec.chart.spec.valuesFiles")!).Select(v => v.ToString()).ToArray();
                CollectionAssert.AreEqual(new[] { $"./apps/{app}/chart/values.yaml", $"./apps/{app}/values-{environment}.yaml" }, valuesFiles);
                Assert.IsTrue(valuesFiles.All(file => File.Exists(Path.Combine(repository, file))));
            }
        }
    }
}
